"""Entity extraction: each kind found in its canonical form, look-alikes refused, and no input makes it raise."""

from __future__ import annotations

import random

from liaison.search.entities import Entity, extract
from liaison.search.gazetteer import demo_gazetteer

SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


def found(text: str, kind: str | None = None, **kwargs: object) -> list[str]:
    return [e.value for e in extract(text, **kwargs) if kind is None or e.kind == kind]  # type: ignore[arg-type]


# --- phone numbers


def test_two_spellings_of_a_phone_number_give_one_e164_value() -> None:
    entities = [e for e in extract("Appeler le 06 12 34 56 78, ou +33 (0)6.12.34.56.78.") if e.kind == "phone"]
    assert [(e.value, e.raw) for e in entities] == [("+33612345678", "06 12 34 56 78")]


def test_national_numbers_are_read_in_the_given_region() -> None:
    assert found("Call (202) 555-0143 today", "phone", region="US") == ["+12025550143"]
    assert found("Call (202) 555-0143 today", "phone", region="FR") == []
    assert found("Ring +44 20 7946 0958", "phone", region="FR") == ["+442079460958"]


def test_an_unknown_region_still_reads_international_numbers() -> None:
    assert found("+33 1 42 68 53 00 or 01 42 68 53 00", "phone", region="ZZ") == ["+33142685300"]


def test_short_numbers_and_dates_are_not_phone_numbers() -> None:
    assert found("Meeting on 12/03/2026 at 10:30, room 1234, ticket 42.", "phone") == []


# --- e-mail addresses


def test_email_keeps_its_local_part_and_lower_cases_its_domain() -> None:
    assert found("Write to Jean.Dupont+Liaison@Exemple.GOUV.fr.", "email") == ["Jean.Dupont+Liaison@exemple.gouv.fr"]


def test_email_with_an_international_domain_gets_a_labels() -> None:
    assert found("contact: info@café.fr", "email") == ["info@xn--caf-dma.fr"]


def test_french_elision_is_not_part_of_the_address() -> None:
    assert found("Écrire à l'adresse d'alice@example.org.", "email") == ["alice@example.org"]


def test_broken_emails_are_refused() -> None:
    assert found("user@localhost, a..b@example.com, @example.com, user@report.pdf", "email") == []


def test_an_email_domain_is_not_a_second_domain() -> None:
    assert [e.kind for e in extract("Mail alice@example.org now")] == ["email"]


# --- IBAN and BIC


def test_spaced_and_compact_iban_give_one_entity() -> None:
    text = "IBAN FR76 3000 6000 0112 3456 7890 189, soit FR7630006000011234567890189."
    entities = [e for e in extract(text) if e.kind == "iban"]
    assert [(e.value, e.raw) for e in entities] == [
        ("FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189")
    ]


def test_an_iban_followed_by_a_word_is_still_found() -> None:
    assert found("GB82 WEST 1234 5698 7654 32 CODE pour", "iban") == ["GB82WEST12345698765432"]


def test_an_iban_with_a_wrong_checksum_is_refused() -> None:
    assert found("FR76 3000 6000 0112 3456 7890 188 and FR7730006000011234567890189", "iban") == []


def test_iban_digits_are_not_read_as_phone_numbers() -> None:
    assert [e.kind for e in extract("FR76 3000 6000 0112 3456 7890 189")] == ["iban"]


def test_bic_validated_by_stdnum() -> None:
    assert found("BIC: BNPAFRPP, SWIFT code DEUTDEFF500", "bic") == ["BNPAFRPP", "DEUTDEFF500"]
    assert found("branch AGRIFRPP882", "bic") == ["AGRIFRPP882"]


def test_capitalised_words_are_not_bics() -> None:
    assert found("SEE THE DOCUMENT AND PASSPORT ABSTRACT; BIC: ABCDXX12", "bic") == []


# --- IP addresses and networks


def test_ipv4_ipv6_and_networks_in_canonical_form() -> None:
    text = "from 192.168.1.10, 2001:DB8:0:0:0::1, fe80::1%eth0 and 10.1.2.3/8 or 2001:db8::/32."
    assert found(text, "ip") == ["192.168.1.10", "2001:db8::1", "fe80::1"]  # the zone is not part of the address
    assert found(text, "network") == ["10.0.0.0/8", "2001:db8::/32"]


def test_impossible_addresses_versions_and_times_are_refused() -> None:
    text = "999.1.1.1, 1.2.3, 1.2.3.4.5, version 10.0.0.1.2, at 10:30:00, 192.168.1.1/40, ratio 3:2"
    assert found(text, "ip") == []
    assert found(text, "network") == []


def test_an_ip_at_the_end_of_a_sentence() -> None:
    assert found("The host was 203.0.113.5.", "ip") == ["203.0.113.5"]


# --- domains and URLs


def test_url_is_canonical_and_yields_its_domain() -> None:
    entities = extract("See HTTPS://WWW.Exemple.FR.:443/Dossier/A?x=1#top, then leave.")
    assert [(e.kind, e.value) for e in entities] == [
        ("url", "https://www.exemple.fr/Dossier/A?x=1#top"),
        ("domain", "www.exemple.fr"),
    ]


def test_url_keeps_a_port_that_is_not_the_default_and_drops_trailing_punctuation() -> None:
    assert found("(http://example.org:8080/path).", "url") == ["http://example.org:8080/path"]
    assert found("http://Example.org", "url") == ["http://example.org/"]


def test_international_domain_becomes_a_labels() -> None:
    assert found("Voir bücher.example et пример.рф", "domain") == ["xn--bcher-kva.example", "xn--e1afmkfd.xn--p1ai"]


def test_a_url_with_an_ip_host_yields_the_ip() -> None:
    assert [(e.kind, e.value) for e in extract("http://198.51.100.7/x")] == [
        ("url", "http://198.51.100.7/x"),
        ("ip", "198.51.100.7"),
    ]


def test_file_names_versions_and_sentences_are_not_domains() -> None:
    text = "Open report.pdf and setup.exe (v1.2, 3.14), e.g. i.e. the end.The next one; archive.tar.gz"
    assert found(text, "domain") == []


def test_domain_with_a_trailing_dot_and_upper_case() -> None:
    assert found("Resolve MAIL.Example.COM. then", "domain") == ["mail.example.com"]


# --- hashes


def test_hashes_by_length_in_lower_case() -> None:
    text = f"md5 {MD5.upper()} sha1 {SHA1} sha256 {SHA256}"
    assert [(e.kind, e.value) for e in extract(text)] == [("md5", MD5), ("sha1", SHA1), ("sha256", SHA256)]


def test_part_of_a_longer_hex_string_is_not_a_hash() -> None:
    assert [e.kind for e in extract(f"digest {SHA256} end")] == ["sha256"]
    assert found(f"x{MD5} {MD5}0 {MD5[:31]} {'a' * 48}", None) == []


# --- cryptocurrency addresses


def test_bitcoin_addresses_with_valid_checksums() -> None:
    text = (
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy "
        "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 "
        "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"
    )
    assert found(text, "btc") == [
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
    ]


def test_bitcoin_addresses_with_a_wrong_checksum_are_refused() -> None:
    text = (
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz "
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr "
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"  # a version 0 program with a bech32m checksum
    )
    assert found(text, "btc") == []


def test_ethereum_address_is_lower_cased_and_must_be_40_hex() -> None:
    text = "0x52908400098527886E0F7030069857D2E4169EE7 and 0x52908400098527886E0F7030069857D2E4169E"
    assert found(text, "eth") == ["0x52908400098527886e0f7030069857d2e4169ee7"]
    assert found(text, "sha1") == []


# --- document numbers


def test_document_numbers_after_a_keyword() -> None:
    text = (
        "Passport no. 12ab34567; passeport : 12 AB 34567; Document No: X1234567 issued; "
        "n° de passeport 09AA12345 ; identity card number 880692310285."
    )
    entities = [e for e in extract(text) if e.kind == "passport"]
    assert [(e.value, e.raw) for e in entities] == [
        ("12AB34567", "12ab34567"),
        ("X1234567", "X1234567"),
        ("09AA12345", "09AA12345"),
    ]


def test_a_number_without_a_keyword_or_a_keyword_without_a_number_gives_nothing() -> None:
    assert found("Reference 12AB34567. The passport holder left; passport ABCDEFG.", "passport") == []


# --- gazetteer and the whole


def test_gazetteer_names_come_with_the_other_entities_but_not_inside_them() -> None:
    text = "Ilona Marchetti (ilona@corvane.example) boarded the Pelagic Dawn."
    assert [(e.kind, e.value) for e in extract(text, gazetteer=demo_gazetteer())] == [
        ("person", "Ilona Marchetti"),
        ("email", "ilona@corvane.example"),
        ("vessel", "Pelagic Dawn"),
    ]


def test_duplicates_collapse_to_the_first_occurrence_in_position_order() -> None:
    entities = extract(f"{SHA256} then 10.0.0.1 then {SHA256.upper()} and 10.0.0.1")
    assert [(e.kind, e.start) for e in entities] == [("sha256", 0), ("ip", 70)]


def test_entities_are_frozen_and_their_offsets_point_at_the_raw_text() -> None:
    text = "x\u200f 198.51.100.7 \u200e http://example.org"
    for entity in extract(text):
        assert isinstance(entity, Entity)
        assert text[entity.start : entity.end] == entity.raw


def test_adversarial_input_never_raises() -> None:
    rng = random.Random(15)
    alphabet = "0123456789abcdefABCDEF.:/@ -+\x00\u200f\u202eé€Ωжعب漢"
    noise = "".join(rng.choices(alphabet, k=100_000))
    assert isinstance(extract(noise, gazetteer=demo_gazetteer()), list)
    assert extract("") == []
    assert found("\x00" * 1000 + "192.0.2.1\x00", "ip") == ["192.0.2.1"]
    assert found("\u202e+33 6 12 34 56 78\u202c", "phone") == ["+33612345678"]
    assert isinstance(extract("@" * 20_000 + "." * 20_000 + "a." * 20_000), list)
    assert isinstance(extract("1" * 12_000, region="not a region"), list)


def test_a_long_document_keeps_every_entity() -> None:
    block = "Rapport: contact alice@example.org, serveur 192.0.2.1, hash {h}. "
    text = "".join(block.format(h=f"{i:032x}") for i in range(200))
    assert len(text) > 10_000
    assert len([e for e in extract(text) if e.kind == "md5"]) == 200
