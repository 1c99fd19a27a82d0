"""Indonesian hyphenation patterns, written from the spelling rules (PUEBI) rather than taken
from a word list. pyphen's own Indonesian dictionary, learned from words, breaks words it has
not seen between a consonant and its vowel ("memil-iki", "kesal-ahan", "Kor-upsi"); these
rules cannot:

- a single consonant between two vowels starts the next syllable: me-mi-li-ki;
- in a run of consonants, the break falls after the first: in-stru-men, ber-pres-ta-si; but a
  consonant and r alone between vowels go together: ke-pri-ba-di-an, di-pro-ses;
- ng, ny, kh and sy are one consonant each: pe-ngor-ga-ni-sa-si, peng-gu-na, ma-sya-ra-kat
  (and sh, ch, th, ph, gh, ck, wh, for English words: ma-chine, fa-shion);
- two vowels are two syllables (si-a-pa), except the diphthongs ai, au, ei, oi (pan-tai), and ou;
- no break before a last consonant and e (ma-chine, de-kade).

English words of the trade that these rules would break wrongly (sof-tware, he-adline,
te-amwork, websi-te) keep the breaks American English gives them (soft-ware, head-line), also
with an Indonesian ending (software-nya). Abbreviations and names with capitals inside
(PUSKESMAS, WhatsApp) are not hyphenated at all (layout.whole_words).

WeasyPrint hyphenates with pyphen; `install` registers these patterns as pyphen's dictionary
for Indonesian. The dictionary file is generated: `python -m booklet.hyphenation` rewrites it.
"""
from __future__ import annotations

import re
from pathlib import Path

DICTIONARY = Path(__file__).with_name("hyph_id.dic")

VOWELS = "aeiou"
CONSONANTS = "bcdfghjklmnpqrstvwxyz"
# Besides Indonesian's own, the pairs of the English words in the text (machine, fashion,
# graphic, Photoshop, blockchain), which no Indonesian word splits either.
DIGRAPHS = ("ng", "ny", "kh", "sy", "sh", "ch", "th", "ph", "gh", "ck", "wh")
DIPHTHONGS = ("ai", "au", "ei", "oi", "ou")
ONSETS = "bdfgkpt"  # consonants that start a syllable with r after them: pr, kr, tr...
# English words a career profile uses, six letters or more, that the Indonesian rules break
# where English does not: a silent e (web-si-te), vowel pairs (he-ad-line, te-am-work), a compound
# (sof-tware, wor-kshop). Words the two agree on closely enough (marketing, interview) are not here.
ENGLISH = """
background backend brainstorming branding broadcasting career caregiver coaching copywriter
copywriting creative database deadline endorsement engineer engineering entrepreneur feedback
fitness framework franchise freelance freelancer fullstack guideline hairstylist
hardware headhunter headline healthcare homecare housekeeping influencer keyboard leader
leadership lifestyle makeup merchandise mindset multitasking network networking offline online
outline outsourcing overtime pipeline podcast prototype research showroom smartphone software
speaking stakeholder startup storytelling streaming teacher teamwork timeline update upgrade
warehouse website wellness wireframe workload workshop
""".split()


def patterns() -> list[str]:
    """Liang patterns (as TeX and pyphen read them): an odd digit allows a break where it
    stands, an even one forbids it, and the highest digit any matching pattern puts there wins."""
    found = [f"1{c}{v}" for c in CONSONANTS for v in VOWELS]  # before a consonant that starts a syllable
    found += [f"{x}2{y}" for x in CONSONANTS for y in CONSONANTS]  # not inside a run of consonants...
    found += [f"{v}{x}3{y}" for v in VOWELS for x in CONSONANTS for y in CONSONANTS]  # ...but after its first
    for digraph in DIGRAPHS:
        found.append(f"{digraph[0]}4{digraph[1]}")  # never inside a digraph
        found += [f"1{digraph}{v}" for v in VOWELS]  # before a digraph that starts a syllable
        found += [f"{v}{digraph}5{y}" for v in VOWELS for y in CONSONANTS]  # after one that ends a syllable
    found += [f"{a}1{b}" for a in VOWELS for b in VOWELS if a + b not in DIPHTHONGS]
    # A consonant and r between vowels start the syllable together: ke-pri-ba-di-an, di-pro-ses,
    # di-kri-tik (a prefix before a loanword; "kep-ri" misleads the reader). Not with l: the
    # particle -lah (tidak-lah, not tida-klah) and pub-lik, ap-li-ka-si, sik-lus. Longer runs
    # keep the rule above: in-stru-men, ul-tra.
    found += [f"{v}1{c}4r{w}" for v in VOWELS for c in ONSETS for w in VOWELS]
    # No break before a final consonant and e: an English e is silent (machi-ne, guideli-ne), and
    # an Indonesian word ending so keeps a break further in (de-kade, epi-sode).
    found += [f"6{c}e." for c in CONSONANTS]
    found += [_english(word) for word in ENGLISH]
    return _merged(found)


def _english(word: str) -> str:
    """A pattern for the start of a word ('.' is its edge) that allows English's breaks in it (9)
    and forbids every other (8): higher than any rule above, so it decides there, and open at the
    end, so the rules above still break an ending after it."""
    import pyphen
    allowed = set(pyphen.Pyphen(lang="en_US", left=2, right=2).positions(word))
    return "." + "".join(letter + ("" if i == len(word) else "9" if i in allowed else "8")
                         for i, letter in enumerate(word, start=1))


def _merged(patterns: list[str]) -> list[str]:
    """One pattern per string of letters, with the highest digit of any at each place: pyphen
    keeps only the last of two patterns with the same letters (n2g, n4g), where TeX uses both."""
    merged: dict[str, list[int]] = {}
    for pattern in patterns:
        letters = re.sub(r"\d", "", pattern)
        digits = [0] * (len(letters) + 1)
        position = 0
        for character in pattern:
            if character.isdigit():
                digits[position] = max(digits[position], int(character))
            else:
                position += 1
        known = merged.setdefault(letters, [0] * (len(letters) + 1))
        merged[letters] = [max(a, b) for a, b in zip(known, digits)]
    return ["".join((str(d) if d else "") + letter for d, letter in zip(digits, letters)) + (str(digits[-1]) if digits[-1] else "")
            for letters, digits in merged.items()]


def dictionary_text() -> str:
    return "UTF-8\n" + "\n".join(patterns()) + "\n"


def install() -> None:
    """Make pyphen (and so WeasyPrint) hyphenate Indonesian with these patterns."""
    import pyphen
    for name in ("id", "id_ID"):
        pyphen.LANGUAGES[name] = DICTIONARY
        pyphen.LANGUAGES_LOWERCASE[name.lower()] = name


if __name__ == "__main__":
    DICTIONARY.write_text(dictionary_text(), encoding="utf-8")
    print(f"wrote {DICTIONARY}")
