import pytest

from reprokit.text import parse_number, sentences


@pytest.mark.parametrize(
    ("raw", "value"),
    [("3e-4", 3e-4), ("3 x 10^-4", 3e-4), ("3 \\times 10^{-4}", 3e-4), ("8\\cdot 10^{-4}", 8e-4), ("5·10^-4", 5e-4),
     ("$10^{-5}$", 1e-5), ("0.0003", 3e-4),
     ("1M", 1e6), ("100k", 1e5), ("5%", 0.05), ("1,000", 1000), ("0.01", 0.01), ("-2", -2), ("8000", 8000),
     ("15 percent", 0.15), ("fifteen", 15), ("Thirty", 30), ("$1.2$ million", 1.2e6), ("$225$K", 225e3)],
)
def test_parse_number_reads_every_written_form(raw, value):
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("raw", ["abc", "", "lr", "1.2.3"])
def test_parse_number_refuses_non_numbers(raw):
    assert parse_number(raw) is None


def test_sentences_keep_abbreviations_and_decimals():
    text = "We use Adam, e.g. with lr 0.01. Results in Fig. 3 hold. See Smith et al. for more! Done."
    assert sentences(text) == ["We use Adam, e.g. with lr 0.01.", "Results in Fig. 3 hold.",
                               "See Smith et al. for more!", "Done."]


def test_spaced_digits_of_converted_math_are_joined_only_inside_math():
    from reprokit.text import unspace_math_numbers

    text = "a total of $N = 2 4 5 7 6$ with $\\sigma = 0 . 0 0 5$ from $\\{ 0 , 0 . 0 0 3 \\}$; seeds 1 2 3 stay"
    assert unspace_math_numbers(text) == ("a total of $N = 24576$ with $\\sigma = 0.005$ from $\\{ 0 , 0.003 \\}$; "
                                          "seeds 1 2 3 stay")


def test_one_number_grammar_with_the_meaning_of_percent_explicit():
    from reprokit.gaps.statements import parse_value
    from reprokit.paper.tables import split_value
    from reprokit.text import parse_number

    for raw, value in [("3e-4", 3e-4), ("3 x 10^-4", 3e-4), ("3\\times10^{-4}", 3e-4), ("10^{-5}", 1e-5),
                       ("1M", 1e6), ("4k", 4e3), ("1,000", 1000.0), ("−2", -2.0)]:
        assert parse_number(raw) == value, raw
        assert parse_value(raw) == [value], raw
    assert parse_number("5%") == 0.05 and parse_number("5%", percent="points") == 5.0
    assert parse_value("5%") == [5.0] and split_value("5%") == (5.0, None)


def test_lists_of_sizes_in_the_ways_papers_write_them():
    from reprokit.gaps.knobs import number_list

    assert number_list("128, 128, 128, 128") == [128.0] * 4
    assert number_list("512x512x256x128") == [512.0, 512.0, 256.0, 128.0]
    assert number_list("512 \u00d7 256") == [512.0, 256.0]
    assert number_list("1,000 and 2,000") == [1000.0, 2000.0] and number_list("3 x 10^-4") == [3e-4]


def test_parse_number_never_raises_and_refuses_what_is_not_a_float():
    import random

    assert parse_number("1e999") is None and parse_number("10^{5000}") is None and parse_number("3e-4000") is None
    assert parse_number("two") == 2.0 and parse_number("1 million") == 1e6
    alphabet = "0123456789eE.,+-^{}x%$kKMB \\times"
    rng = random.Random(0)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        value = parse_number(text)
        assert value is None or (isinstance(value, float) and value == value and abs(value) != float("inf")), text
