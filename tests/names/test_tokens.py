"""Name parts: order, honorifics, Arabic particles, glued Abdul, initials."""

from __future__ import annotations

from corridor.names.tokens import is_weak, name_tokens


def test_last_first_and_first_last_give_the_same_parts() -> None:
    assert sorted(name_tokens("ZHUKOV, Sergey")) == sorted(name_tokens("Sergey ZHUKOV"))


def test_honorifics_dropped() -> None:
    assert name_tokens("Dr. Mr. John SMITH") == ("john", "smith")


def test_arabic_articles_dropped_and_bin_folded() -> None:
    assert name_tokens("AL-ZUBAIDI, Khaled") == ("zubaidi", "khaled")
    assert name_tokens("Khaled El-Zubaidi") == ("khaled", "zubaidi")
    assert name_tokens("Kamel Ben Mouldi Ibn Hassan") == ("kamel", "bin", "mouldi", "bin", "hassan")
    assert is_weak("bin")


def test_glued_abdul_is_split_but_abdullah_kept() -> None:
    assert name_tokens("Abdulsalam Zaeef") == ("abd", "salam", "zaeef")
    assert name_tokens("Abd al-Salam Zaeef") == ("abd", "salam", "zaeef")
    assert name_tokens("Abdullah Azzam") == ("abdullah", "azzam")


def test_initials_are_kept_as_parts() -> None:
    assert name_tokens("Suzanne M. Kosmas") == ("suzanne", "m", "kosmas")


def test_name_of_only_particles_is_kept() -> None:
    assert name_tokens("AL") == ("al",)


def test_titles_are_weak_words() -> None:
    assert name_tokens("Sheikh Shaykh Hajji Ahmad") == ("sheikh", "sheikh", "haji", "ahmad")
    assert is_weak("sheikh") and is_weak("haji")


def test_ind_abbreviation_in_organisation_names() -> None:
    # OFAC 'DEFENSE INDUSTRIES ORGANIZATION'
    assert name_tokens("DEFENSE IND. ORGANIZATION", True) == name_tokens(
        "DEFENSE INDUSTRIES ORGANIZATION", True
    )


def test_generation_suffixes_are_dropped() -> None:
    # OFAC 'KLYUEV, Dmitry Vladislavovich'
    assert name_tokens("Dmitry Klyuev Jr.") == name_tokens("Dmitry Klyuev")
