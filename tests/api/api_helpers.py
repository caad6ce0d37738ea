"""Constants the API tests share (imported by name: pytest puts this folder on the path)."""

API_KEY = "test-key-9f8e7d"
EVAL_DATASETS = ["us_ofac_sdn", "un_sc_sanctions"]
