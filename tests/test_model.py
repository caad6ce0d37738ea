from corridor.model import SCHEMATA, Entity, validate_ftm


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


def test_schemata_are_followthemoney_schemata() -> None:
    from followthemoney import model

    for name in SCHEMATA:
        assert model.get(name) is not None, name
    assert "Aircraft" not in SCHEMATA and model.get("Aircraft") is None
