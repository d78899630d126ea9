from handover.scanning.azerty import Layout, repair_azerty, repair_candidates

# What a US-keyboard scanner's keys type on each AZERTY layout, written from the layouts.
FRENCH = str.maketrans("1234567890AQZWM<", "&é\"'(-è_çàQAWZ?.")
BELGIAN = str.maketrans("1234567890AQZWM<", "&é\"'(§è!çàQAWZ?.")


def test_field_example_belgian_layout() -> None:
    text, repaired, layout = repair_azerty("àà&\"è'!ç&&")
    # The French reading differs (8 → _), so the function cannot decide alone.
    assert not repaired
    readings = {c.text: c.layouts for c in repair_candidates("àà&\"è'!ç&&")}
    assert readings["0013748911"] == (Layout.BELGIAN,)
    assert text == "àà&\"è'!ç&&"
    assert layout is None


def test_text_without_6_or_8_reads_the_same_on_both_layouts() -> None:
    mangled = "0013749911".translate(FRENCH)
    assert mangled == "0013749911".translate(BELGIAN)
    assert repair_azerty(mangled) == ("0013749911", True, None)


def test_letters_swap_back() -> None:
    assert repair_azerty("QWQ&")[0] == "AZA1"
