"""Write a synthetic booklet folder of N professions shaped like the real profiles.

    python bench/corpus.py 300 /tmp/corpus-300

Deterministic for a given N: the same N gives the same files. Words are drawn from the
sample profiles in source/, so the text hyphenates and wraps like real Indonesian.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("pendidikan", "kesehatan", "teknologi", "ekonomi", "hukum", "politik", "seni", "pertanian",
          "transportasi", "pariwisata", "lingkungan", "media")
ROLES = ("Analis", "Asisten", "Ahli", "Guru", "Insinyur", "Juru", "Konsultan", "Koordinator", "Manajer",
         "Operator", "Pengawas", "Peneliti", "Perancang", "Petugas", "Spesialis", "Teknisi", "Auditor",
         "Bidan", "Dosen", "Editor")
DOMAINS = ("Air Bersih", "Anggaran", "Arsip", "Bahasa", "Bangunan", "Cuaca", "Data", "Desain Grafis",
           "Energi", "Farmasi", "Gizi", "Hutan", "Irigasi", "Jalan Raya", "Kebun", "Kelautan", "Keuangan",
           "Komunikasi", "Kualitas", "Laboratorium", "Limbah", "Logistik", "Mesin", "Museum", "Nutrisi",
           "Obat", "Pajak", "Pangan", "Pelabuhan", "Perpustakaan", "Perumahan", "Properti", "Radio",
           "Rekam Medis", "Sekolah", "Sosial", "Statistik", "Tanah", "Tata Kota", "Udara", "Usaha Kecil",
           "Vaksin", "Wisata", "Yayasan", "Zonasi")
JOINING_WORDS = {"dan", "atau", "serta", "dengan", "di", "ke", "dari", "untuk", "bagi", "pada", "oleh", "yang"}
MAJOR_HEADS = ("Ilmu", "Teknik", "Manajemen", "Pendidikan", "Studi", "Sistem", "Kajian", "Rekayasa")
MAJOR_TAILS = ("Administrasi", "Akuntansi", "Biologi", "Ekonomi", "Farmasi", "Fisika", "Geografi",
               "Hukum", "Informatika", "Kesehatan Masyarakat", "Kimia", "Komunikasi", "Lingkungan",
               "Matematika", "Pertanian", "Psikologi", "Sejarah", "Sosiologi")



def vocabulary() -> list[str]:
    words = []
    for path in sorted((ROOT / "source").rglob("*.txt")):
        words += re.findall(r"[a-zA-Z]{2,}", path.read_text(encoding="utf-8").lower())
    return sorted(set(words))


def paragraph(rng: random.Random, words: list[str], length: int = 60) -> str:
    sentences, left = [], length
    while left > 0:
        n = min(left, rng.randint(9, 18))
        sentence = " ".join(rng.choice(words) for _ in range(n))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        left -= n
    return " ".join(sentences)


def titles(n: int, rng: random.Random) -> list[str]:
    pool = [f"{role} {domain}" for role in ROLES for domain in DOMAINS]
    rng.shuffle(pool)
    if n > len(pool):
        pool += [f"{t} {i}" for i in range(2, 2 + n // len(pool) + 1) for t in list(pool)]
    return pool[:n]


def write_corpus(n: int, target: Path) -> None:
    rng = random.Random(n)
    words = vocabulary()
    majors = [f"{h} {t}" for h in MAJOR_HEADS for t in MAJOR_TAILS][:120]
    # A name does not end on a word like "dan" or "ke" (the reader would join the next line to it).
    name_ends = [word for word in words if word not in JOINING_WORDS]
    target = Path(target)
    (target / "source").mkdir(parents=True, exist_ok=True)
    for index, title in enumerate(titles(n, rng)):
        field = FIELDS[index % len(FIELDS)]
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        body = [title, "", "\u00a0Profil Profesi", ""]
        body += [paragraph(rng, words) + "\n" for _ in range(3)]
        body += [f"Apa saya cocok bekerja sebagai {title}?", ""]
        body += [paragraph(rng, words) + "\n" for _ in range(3)]
        body += ["Konsep, ekspektasi dan realita", ""]
        body += [paragraph(rng, words) + "\n" for _ in range(3)]
        body += ["Jurusan Kuliah yang Mendukung", ""] + rng.sample(majors, 10) + [""]
        body += ["Contoh perusahaan atau institusi yang membutuhkan", ""]
        body += [f"{rng.choice(('PT', 'CV', 'Dinas', 'Balai', 'Yayasan'))} {rng.choice(words).title()} {rng.choice(name_ends).title()}"
                 for _ in range(10)]
        folder = target / "source" / field
        folder.mkdir(exist_ok=True)
        (folder / f"{slug}.txt").write_text("\n".join(body), encoding="utf-8")
    (target / "booklet.yaml").write_text(
        "title: Profil Profesi (korpus uji)\norganization: Bench\nedition: Uji\npaper: A4\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
