"""Indonesian hyphenation: the patterns follow the spelling rules, and the booklet uses them."""
from __future__ import annotations

import re

import pyphen
import pytest

from booklet.hyphenation import DICTIONARY, dictionary_text

from .conftest import pdf_pages_text

# Syllables as the spelling rules (PUEBI) divide them, written out by hand.
WORDS = """me-mi-li-ki ke-sa-la-han sen-di-ri-an ko-rup-si in-klu-si pe-ngor-ga-ni-sa-si-an
ne-go-si-a-si ber-pres-ta-si per-gu-ru-an o-to-ri-tas ma-sya-ra-kat makh-luk in-stru-men
pan-tai ker-bau peng-gu-na ang-ka bang-krut ter-nya-ta ber-syu-kur ikh-las pa-kai-an bi-a-ya
ke-se-ha-tan pen-de-ngar kam-pa-nye mem-pre-dik-si per-kem-ba-ngan me-nya-nyi struk-tur
tran-spor-ta-si u-ni-ver-si-tas in-do-ne-si-a tek-no-lo-gi a-po-te-ker sang-gup a-khir
ke-pri-ba-di-an di-pro-ses di-kri-tik se-pro-fe-si di-kre-dit-kan ul-tra ben-trok sas-tra
ma-chine pho-to-shop ti-dak-lah cu-kup-lah pub-lik ap-li-ka-si
soft-ware soft-ware-nya head-line team-work web-site work-shop smart-phone dead-line on-line
free-lancer lead-er-ship up-date data-base de-kade guide-line""".split()


def test_the_committed_dictionary_is_generated_from_the_rules():
    """`python -m booklet.hyphenation` rewrites it."""
    assert DICTIONARY.read_text(encoding="utf-8") == dictionary_text()


@pytest.mark.parametrize("syllables", WORDS)
def test_words_break_between_syllables(syllables):
    dictionary = pyphen.Pyphen(filename=DICTIONARY, left=1, right=1)
    assert dictionary.inserted(syllables.replace("-", "")) == syllables


def test_the_booklet_breaks_words_with_these_patterns(sample_build):
    """Every word the sample booklet breaks at a line's end is broken between syllables."""
    dictionary = pyphen.Pyphen(filename=DICTIONARY, left=1, right=1)
    breaks = [(m[1], m[2]) for page in pdf_pages_text(sample_build.path)
              for m in re.finditer(r"(\w+)\u2010\n(\w+)", page)]
    assert len(breaks) > 10
    for start, end in breaks:
        assert len(start) in dictionary.positions((start + end).lower()), f"{start}-{end}"
