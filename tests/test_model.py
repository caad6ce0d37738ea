from corridor.model import Entity, validate_ftm


def test_entity_roundtrip_and_validation() -> None:
    ent = Entity.create("us_ofac_sdn", "12345", "Person")
    ent.add("name", "  ZHUKOV,   Sergey ")
    ent.add("name", "ZHUKOV, Sergey", None, "")
    ent.add("birthDate", "1966-09-08")
    assert ent.get("name") == ["ZHUKOV, Sergey"]
    assert ent.source_id == "us_ofac_sdn:12345"
    validate_ftm(ent)
    back = Entity.from_ftm(ent.to_ftm())
    assert back == ent
