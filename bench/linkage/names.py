"""Word lists for the synthetic record-linkage benchmark (:mod:`bench.linkage.generate`).

Everything here is invented or generic: common Sundanese, Bantenese, Javanese and Muslim
given names, generic UMKM brand words, street and kampung names of the kind seen in Kota
Serang lists. The lists are ordered from most to least frequent; the generator draws from
them with Zipf-like weights (rank ``r`` gets weight ``1 / r**s``), so that common names such as
"Siti Aminah", "Ahmad Fauzi" or "Nur Hasanah" collide many times across unrelated people,
as they do in real lists. Spelling rules follow ``domain-facts.md`` §8.
"""

from __future__ import annotations

# fmt: off

# --------------------------------------------------------------------------------------------
# Person names (rank order = frequency order)
# --------------------------------------------------------------------------------------------

FEMALE_FIRST = (
    "Dewi", "Iyah", "Eneng", "Neneng", "Enok", "Euis", "Nunung", "Yuyun", "Imas",
    "Rohayati", "Sumiati", "Aminah", "Fatimah", "Maryam", "Halimah", "Rohmah", "Yati", "Tati",
    "Cucu", "Lilis", "Nining", "Ela", "Erna", "Ani", "Rina", "Wati", "Yanti", "Ratna",
    "Nurhasanah", "Jubaedah", "Masitoh", "Sarinah", "Umi", "Ika", "Rini", "Fitri", "Dian", "Nia",
    "Putri", "Khodijah", "Kulsum", "Rukmini", "Juariah", "Saadah", "Atikah", "Oom", "Onih",
    "Icih", "Entin", "Titin", "Iis", "Heni", "Lia", "Mimin", "Nani", "Popon", "Rosidah",
    "Sukaesih", "Tuti", "Uum", "Wiwin", "Yeni", "Zakiah", "Elis", "Hayati", "Nurlela", "Robiah",
    "Samiah", "Eti", "Rahmawati", "Maemunah", "Hindun", "Enung", "Aisyah", "Mulyani", "Yuli",
    "Rahma", "Anisa", "Nurul", "Indah", "Ayu", "Wulan", "Intan", "Lina", "Susi", "Ernawati",
    "Suryani", "Rosmiati", "Juju", "Cicih", "Eem", "Nuraeni", "Komariah", "Rukoyah", "Salamah",
    "Asiah", "Yulia", "Novi", "Desi", "Rika", "Nurjanah",
)
FEMALE_SECOND = (
    "Aminah", "Fatimah", "Maryam", "Rohmah", "Nurhayati", "Rohayati", "Khodijah", "Aisyah",
    "Halimah", "Sumiati", "Rahmawati", "Komariah", "Nurjanah", "Zubaedah", "Mulyani", "Susanti",
    "Kurniasih", "Lestari", "Wulandari", "Handayani", "Marlina", "Suryani", "Fitriani",
    "Yulianti", "Hayati", "Maesaroh", "Rukoyah", "Jamilah", "Saodah", "Khoerunnisa", "Nurlaela",
    "Safitri", "Rosita", "Apriani", "Sulastri", "Kartika", "Herawati", "Mardiah", "Munawaroh",
    "Wahyuni", "Nuraeni", "Masitoh", "Juariah", "Hasanah", "Sopiah", "Kholifah", "Aprilia",
)
# "Siti X", "Nur X" and "Sri X" are the most frequent women's names in such lists.
SITI_SECOND = (
    "Aminah", "Fatimah", "Maryam", "Rohmah", "Khodijah", "Aisyah", "Halimah", "Nurhayati",
    "Komariah", "Nurjanah", "Zubaedah", "Maesaroh", "Jamilah", "Saodah", "Rukoyah", "Masitoh",
    "Hasanah", "Mulyani", "Juariah", "Hajar", "Mariam", "Sarah", "Romlah", "Nurlela",
)
NUR_SECOND = (
    "Hasanah", "Aini", "Halimah", "Laela", "Jannah", "Azizah", "Hayati", "Aisyah", "Fadilah",
    "Khasanah", "Afifah", "Apriyani",
)
SRI_SECOND = (
    "Wahyuni", "Mulyani", "Rahayu", "Lestari", "Handayani", "Hartati", "Sumiati", "Wulandari",
    "Astuti", "Rahmawati",
)

MALE_FIRST = (
    "Ahmad", "Asep", "Ade", "Dede", "Agus", "Ujang", "Dadang", "Deden", "Endang", "Iwan",
    "Wawan", "Budi", "Rahmat", "Hendra", "Rudi", "Yayan", "Maman", "Usman", "Saepudin", "Rohmat",
    "Jaenudin", "Mulyadi", "Sarip", "Entis", "Aan", "Encep", "Eman", "Suhendi", "Hasanudin",
    "Jajang", "Herman", "Slamet", "Sutrisno", "Bambang", "Joko", "Wahyudi", "Fauzi", "Syarif",
    "Sukri", "Marjuki", "Sahroni", "Nurdin", "Saprudin", "Jumadi", "Komarudin", "Mukhlis",
    "Ilham", "Rizki", "Fajar", "Dimas", "Andi", "Arif", "Jaja", "Didi", "Amin", "Sanusi",
    "Sobri", "Juhdi", "Ruhiyat", "Engkos", "Oji", "Mamat", "Ali", "Rohendi", "Firman", "Yusuf",
    "Ridwan", "Aceng", "Ajat", "Baehaki", "Hambali", "Idris", "Jamhari", "Kosasih", "Lukman",
    "Nasrullah", "Rusdi", "Samsudin", "Tatang", "Ubaidillah", "Wahid", "Yadi", "Zaenal", "Hasan",
    "Imron", "Sukarna", "Supriyadi", "Cecep", "Dodi", "Enjang", "Odih", "Uci", "Holil", "Jamal",
)
MALE_SECOND = (
    "Fauzi", "Hidayat", "Supriatna", "Saputra", "Setiawan", "Kurniawan", "Permana", "Gunawan",
    "Sudrajat", "Hermawan", "Suryana", "Firmansyah", "Hidayatullah", "Maulana", "Ramdani",
    "Mulyana", "Sobari", "Sanusi", "Hasan", "Syarif", "Rohman", "Hakim", "Nurjaman", "Sopian",
    "Rahmat", "Wijaya", "Santoso", "Prasetyo", "Kusnadi", "Suhendar", "Mubarok", "Jamaludin",
    "Sahrudin", "Arsyad", "Fadilah", "Nawawi", "Sulaeman", "Ruhiyat", "Apandi", "Rosadi",
    "Kurnia", "Saefullah", "Taufik", "Ismail", "Iskandar", "Zakaria", "Bahri", "Rifai",
    "Sutisna", "Fathurrohman", "Syamsudin", "Mansur", "Saepudin", "Riyadi", "Hamdani",
    "Hendrawan", "Rizal", "Ramadhan", "Nugraha", "Yusuf", "Jaelani", "Kosim",
)
MUHAMMAD_SECOND = (
    "Rizki", "Fauzi", "Yusuf", "Ridwan", "Ilham", "Fajar", "Arif", "Iqbal", "Hasan", "Ali",
    "Syarif", "Ramdani", "Hidayat", "Soleh", "Amin", "Nur", "Hafiz", "Faisal", "Rifki",
)
ABDUL_SECOND = (
    "Rohman", "Aziz", "Somad", "Rojak", "Wahid", "Ghofur", "Hamid", "Malik", "Karim", "Muis",
    "Kodir", "Latif", "Halim", "Basit",
)
# Very frequent full names, drawn directly for a few percent of people (rank order).
COMMON_FEMALE = (
    "Siti Aminah", "Nur Hasanah", "Siti Fatimah", "Sri Wahyuni", "Siti Maryam", "Siti Rohmah",
    "Siti Khodijah", "Nurhasanah", "Siti Nurhayati", "Siti Aisyah", "Sri Mulyani", "Siti Halimah",
)
COMMON_MALE = (
    "Ahmad Fauzi", "Muhammad Rizki", "Asep Saepudin", "Dede Supriatna", "Agus Setiawan",
    "Ahmad Hidayat", "Abdul Rohman", "Ade Hidayat", "Muhammad Yusuf", "Ujang Suryana",
    "Dadang Hermawan", "Ahmad Syarif",
)

# Spelling variants of one name as seen across lists (lower-case key). Includes variants the
# normaliser folds (Achmad/Akhmad, Muhammad forms) and ones it does not (Sundanese p/f:
# Saepudin/Saefudin, Yusuf/Yusup; joined/split: Nurhasanah/Nur Hasanah; kh/h: Khodijah/Hodijah).
NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "saepudin": ("Saepudin", "Saefudin", "Syaifudin", "Saifudin", "Saepuddin"),
    "yusuf": ("Yusuf", "Yusup", "Jusuf", "Yusuf"),
    "ahmad": ("Ahmad", "Achmad", "Akhmad", "Amad"),
    "rohman": ("Rohman", "Rahman", "Rochman"),
    "rohmah": ("Rohmah", "Rahmah", "Rochmah"),
    "rohmat": ("Rohmat", "Rahmat", "Rochmat"),
    "khodijah": ("Khodijah", "Hodijah", "Khadijah", "Kodijah"),
    "jubaedah": ("Jubaedah", "Zubaedah", "Zubaidah"),
    "zubaedah": ("Zubaedah", "Jubaedah", "Zubaidah"),
    "hasanudin": ("Hasanudin", "Hasanuddin"),
    "jaenudin": ("Jaenudin", "Zaenudin", "Zainudin", "Jaenuddin"),
    "komarudin": ("Komarudin", "Komaruddin", "Qomarudin"),
    "syarif": ("Syarif", "Sarip", "Syarief"),
    "sarip": ("Sarip", "Syarif"),
    "rizki": ("Rizki", "Rizky", "Rizqi", "Riski"),
    "fauzi": ("Fauzi", "Fauzy", "Fauji"),
    "maemunah": ("Maemunah", "Maimunah"),
    "masitoh": ("Masitoh", "Masithoh", "Masitah"),
    "supriatna": ("Supriatna", "Supriyatna"),
    "sudrajat": ("Sudrajat", "Sudradjat"),
    "apandi": ("Apandi", "Afandi", "Effendi"),
    "zaenal": ("Zaenal", "Zainal", "Jaenal"),
    "nurhasanah": ("Nurhasanah", "Nur Hasanah", "Nurhasana"),
    "hasanah": ("Hasanah", "Khasanah", "Hasana"),
    "nurjanah": ("Nurjanah", "Nurjannah", "Nur Janah"),
    "nurhayati": ("Nurhayati", "Nur Hayati"),
    "nurlela": ("Nurlela", "Nurlaela", "Nur Lela"),
    "nurlaela": ("Nurlaela", "Nurlela"),
    "fathurrohman": ("Fathurrohman", "Fathurrahman", "Faturohman"),
    "syamsudin": ("Syamsudin", "Samsudin", "Syamsuddin"),
    "samsudin": ("Samsudin", "Syamsudin"),
    "saprudin": ("Saprudin", "Safrudin", "Syafrudin"),
    "sopian": ("Sopian", "Sofyan", "Sopyan"),
    "hidayatullah": ("Hidayatullah", "Hidayatulloh"),
    "saefullah": ("Saefullah", "Saepulloh", "Syaifullah"),
    "siti": ("Siti", "Sitti"),
    "aisyah": ("Aisyah", "Aisah"),
    "ubaidillah": ("Ubaidillah", "Ubaidilah"),
    "mukhlis": ("Mukhlis", "Muklis", "Muhlis"),
    "baehaki": ("Baehaki", "Baihaki"),
    "ramdani": ("Ramdani", "Ramdhani"),
    "ramadhan": ("Ramadhan", "Ramadan"),
    "maesaroh": ("Maesaroh", "Maisaroh"),
    "khoerunnisa": ("Khoerunnisa", "Khoirunnisa", "Choerunnisa"),
    "rukoyah": ("Rukoyah", "Rukayah", "Ruqoyah"),
    "saodah": ("Saodah", "Saudah"),
    "abdul": ("Abdul", "Abd.", "Abdul"),
    "somad": ("Somad", "Shomad", "Samad"),
    "rojak": ("Rojak", "Rozak", "Razak"),
    "ghofur": ("Ghofur", "Gofur", "Ghafur"),
    "kodir": ("Kodir", "Qodir", "Kadir"),
    "fadilah": ("Fadilah", "Fadhilah", "Padilah"),
    "sopiah": ("Sopiah", "Sofiah", "Sopia"),
    "taufik": ("Taufik", "Taufiq", "Topik"),
    "sobari": ("Sobari", "Sobary"),
    "mubarok": ("Mubarok", "Mubarak"),
    "iqbal": ("Iqbal", "Ikbal"),
    "hafiz": ("Hafiz", "Hafidz"),
    "ridwan": ("Ridwan", "Ridwan", "Ridhwan"),
    "sukaesih": ("Sukaesih", "Sukaisih"),
    "icih": ("Icih", "Ichih"),
    "jamaludin": ("Jamaludin", "Jamaluddin"),
    "arsyad": ("Arsyad", "Arsad"),
    "nuraeni": ("Nuraeni", "Nuraini", "Nur Aeni"),
}

# Muhammad as written in lists (domain-facts §8.2), with weights.
MUHAMMAD_FORMS = (
    ("Muhammad", 30.0), ("Muhamad", 14.0), ("Mohammad", 8.0), ("Mohamad", 5.0), ("Moch.", 8.0),
    ("Mochamad", 6.0), ("Mochammad", 3.0), ("Moh.", 5.0), ("M.", 9.0), ("Muh.", 5.0), ("Mhd", 2.0),
    ("Moch", 2.0), ("M", 2.0),
)

# Banten aristocratic name particles, part of the legal name ("Tb. Ahmad Fauzi", "Ratu Siti
# Aminah"); not honorifics in the normaliser, so they stay in its key.
TUBAGUS_FORMS = ("Tb.", "Tb", "Tubagus", "TB.")
RATU_FORMS = ("Ratu", "Rt.")

# Salutations and religious titles put before a name in lists (domain-facts §8.2), with weights.
# "Mang", "Ceu", "Abah" and "Ma" are Sundanese forms the normaliser does not know.
FEMALE_SALUTATIONS = (
    ("Ibu", 30.0), ("Bu", 12.0), ("Ny.", 8.0), ("Ibu.", 2.0), ("Teh", 4.0), ("Ceu", 1.5),
    ("Mak", 1.0),
)
MALE_SALUTATIONS = (
    ("Bpk.", 22.0), ("Bapak", 15.0), ("Pak", 8.0), ("Bp.", 4.0), ("Sdr.", 3.0), ("Kang", 2.0),
    ("Mang", 1.5), ("Abah", 1.0),
)
HAJI_FORMS_F = ("Hj.", "Hj", "Hajjah", "HJ.", "Hj.")
HAJI_FORMS_M = ("H.", "H", "Haji", "H.")

# Degrees after a name; the owner has one, written differently per list.
DEGREES_M = ("S.Pd", "S.E.", "S.Pd.I", "S.Kom", "S.H.", "S.Sos", "A.Md", "S.T.", "S.Ag", "S.IP")
DEGREES_F = (
    "S.Pd", "S.E.", "S.Pd.I", "A.Md.Keb", "S.Kep", "A.Md", "S.Pd.SD", "S.Kom", "Amd.Keb",
    "S.Sos", "S.Ak",
)

# Call-names in business names ("Warung Bu Iyah", "Bengkel Mang Dadang").
FEMALE_CALL = (("Bu", 40.0), ("Ibu", 8.0), ("Teh", 6.0), ("Ceu", 4.0), ("Mak", 3.0))
MALE_CALL = (("Pak", 25.0), ("Mang", 12.0), ("Kang", 8.0), ("Abah", 4.0), ("Bang", 4.0))
CALL_VARIANTS: dict[str, tuple[str, ...]] = {
    "Bu": ("Bu", "Ibu", "Bu", "Bu.", "Buk"),
    "Ibu": ("Ibu", "Bu", "Ibu"),
    "Teh": ("Teh", "Teteh", "Teh"),
    "Ceu": ("Ceu", "Ceuceu", "Ceu"),
    "Mak": ("Mak", "Emak", "Mak"),
    "Hj.": ("Hj.", "Hj", "Hajjah", "Bu Haji"),
    "Pak": ("Pak", "Bapak", "Pa", "Pak"),
    "Mang": ("Mang", "Mamang", "Mang"),
    "Kang": ("Kang", "Akang", "Kang"),
    "Abah": ("Abah", "Abah"),
    "Bang": ("Bang", "Abang", "Bang"),
    "H.": ("H.", "H", "Haji", "Pak Haji"),
}

# --------------------------------------------------------------------------------------------
# Business names
# --------------------------------------------------------------------------------------------

# Generic brand words (rank order): they repeat across unrelated businesses, as in real lists.
BRANDS = (
    "Berkah", "Barokah", "Sumber Rezeki", "Berkah Jaya", "Maju Jaya", "Al-Barokah", "Amanah",
    "Sinar Jaya", "Mandiri", "Sejahtera", "Rizki", "Jaya Abadi", "Karya Mandiri", "Sederhana",
    "Mekar Sari", "Barokah Jaya", "Putra Jaya", "Sinar Mandiri", "Cahaya", "Az-Zahra", "Annisa",
    "Sakinah", "Al-Ikhlas", "Al-Hidayah", "Harapan Jaya", "Tunas Harapan", "Sehati", "Lestari",
    "Makmur", "Sentosa", "Berkah Abadi", "Sumber Jaya", "Rezeki Barokah", "Bintang", "Pelangi",
    "Mulya", "Rahayu", "Sari Rasa", "Kencana", "Mutiara", "Permata", "Anugrah", "Family",
    "Dua Putri", "Tiga Putra", "Sinar Banten", "Surosowan", "Banten Jaya", "Cahaya Abadi",
    "Mitra Usaha", "Karya Bersama", "Jaya Makmur", "Sejahtera Bersama", "Amanah Sentosa",
    "Bintang Timur", "Mulya Abadi", "Putri Ayu", "Rizki Abadi", "Sumber Berkah", "Al-Fatih",
    "Nurul Iman", "Ar-Rahman", "Kharisma", "Idaman", "Lancar Jaya", "Sinar Harapan",
)
# Per-word spelling variants of brand and product words (title case key).
WORD_VARIANTS: dict[str, tuple[str, ...]] = {
    "Rezeki": ("Rezeki", "Rejeki", "Rizki", "Rezki", "Rejeky", "Rizqi", "Rezeky"),
    "Rizki": ("Rizki", "Rizky", "Rezeki", "Rizqi"),
    "Barokah": ("Barokah", "Barakah", "Barokah", "Barokah", "Berkah"),
    "Berkah": ("Berkah", "Berkah", "Barokah", "Berkat"),
    "Al-Barokah": ("Al-Barokah", "Al Barokah", "Albarokah", "Al-Barakah"),
    "Al-Ikhlas": ("Al-Ikhlas", "Al Ikhlas", "Alikhlas"),
    "Al-Hidayah": ("Al-Hidayah", "Al Hidayah", "Alhidayah"),
    "Al-Fatih": ("Al-Fatih", "Al Fatih", "Alfatih"),
    "Ar-Rahman": ("Ar-Rahman", "Ar Rahman", "Arrahman", "Ar-Rohman"),
    "Az-Zahra": ("Az-Zahra", "Azzahra", "Az Zahra", "Azahra"),
    "Anugrah": ("Anugrah", "Anugerah"),
    "Sejahtera": ("Sejahtera", "Sejahtra", "Sejahtera"),
    "Sentosa": ("Sentosa", "Santosa"),
    "Mulya": ("Mulya", "Mulia"),
    "Family": ("Family", "Famili"),
    "Collection": ("Collection", "Collections", "Koleksi", "Colection"),
    "Catering": ("Catering", "Katering", "Catering"),
    "Katering": ("Katering", "Catering"),
    "Laundry": ("Laundry", "Laundri", "Loundry", "Laundry Kiloan"),
    "Bakso": ("Bakso", "Baso", "Bakso"),
    "Keripik": ("Keripik", "Kripik", "Keripik", "Kripik"),
    "Fotokopi": ("Fotokopi", "Fotocopy", "Foto Copy", "Photocopy"),
    "Barbershop": ("Barbershop", "Barber Shop", "Barber"),
    "Bimbel": ("Bimbel", "Bimbingan Belajar"),
    "Penjahit": ("Penjahit", "Jahit", "Tailor"),
    "Kue": ("Kue", "Kueh", "Kue", "Kue"),
    "Emping": ("Emping", "Emping", "Mlinjo"),
    "Otak-Otak": ("Otak-Otak", "Otak Otak", "Otak2"),
    "Mie": ("Mie", "Mi", "Mie"),
    "Hijab": ("Hijab", "Jilbab", "Kerudung"),
    "Sembako": ("Sembako", "Sembilan Bahan Pokok", "Sembako"),
    "Cell": ("Cell", "Cel", "Celluler", "Ponsel"),
    "Kerajinan": ("Kerajinan", "Kerajinan", "Krajinan"),
    "Gerabah": ("Gerabah", "Grabah"),
    "Budidaya": ("Budidaya", "Budi Daya", "Budidaya"),
    "Ternak": ("Ternak", "Peternakan", "Ternak"),
}

# (sector code, weight, template). Placeholders: {B} a brand, {F} the owner's call name,
# {C} a call-name honorific ("Bu", "Mang"), {K} a kampung/kelurahan name. Leading words up to
# the first placeholder count as form/product words and vary per copy.
BUSINESS_TEMPLATES: tuple[tuple[str, float, str], ...] = (
    # kuliner
    ("kuliner", 3.0, "Warung Makan {C} {F}"), ("kuliner", 1.5, "Warung Nasi {C} {F}"),
    ("kuliner", 2.0, "Keripik {C} {F}"), ("kuliner", 0.8, "Keripik {B}"),
    ("kuliner", 1.5, "Kue {C} {F}"), ("kuliner", 1.2, "Emping Melinjo {C} {F}"),
    ("kuliner", 0.8, "Emping Melinjo {B}"), ("kuliner", 0.8, "Sate Bandeng {C} {F}"),
    ("kuliner", 0.6, "Otak-Otak {F}"), ("kuliner", 0.7, "Kue Jojorong {C} {F}"),
    ("kuliner", 0.5, "Gipang {B}"), ("kuliner", 0.5, "Dodol {F}"),
    ("kuliner", 1.2, "Bakso {C} {F}"), ("kuliner", 0.8, "Seblak {C} {F}"),
    ("kuliner", 0.6, "Mie Ayam {F}"), ("kuliner", 0.6, "Nasi Uduk {C} {F}"),
    ("kuliner", 0.5, "Rabeg {C} {F}"), ("kuliner", 0.6, "Pecak Bandeng {C} {F}"),
    ("kuliner", 0.8, "Catering {C} {F}"), ("kuliner", 0.5, "Catering {B}"),
    ("kuliner", 0.5, "Kopi {B}"), ("kuliner", 0.6, "Roti {B}"),
    ("kuliner", 0.4, "Abon Ikan {B}"), ("kuliner", 0.8, "Rumah Makan {B}"),
    ("kuliner", 0.6, "Kedai {B}"), ("kuliner", 0.6, "Dapur {C} {F}"),
    ("kuliner", 0.8, "{B}"), ("kuliner", 0.4, "Sambal {F}"),
    # perdagangan
    ("perdagangan", 3.0, "Toko {B}"), ("perdagangan", 1.5, "Toko {F}"),
    ("perdagangan", 3.0, "Warung {C} {F}"), ("perdagangan", 1.5, "Toko Sembako {B}"),
    ("perdagangan", 1.0, "UD {B}"), ("perdagangan", 0.8, "UD {B} Jaya"),
    ("perdagangan", 1.0, "{B} Cell"), ("perdagangan", 0.5, "Grosir {B}"),
    ("perdagangan", 1.0, "{B}"), ("perdagangan", 0.5, "Kios {F}"),
    ("perdagangan", 0.5, "Warung Sembako {C} {F}"),
    # fesyen
    ("fesyen", 1.2, "Batik {B}"), ("fesyen", 0.5, "Batik {K}"),
    ("fesyen", 1.5, "Konveksi {B}"), ("fesyen", 0.8, "Konveksi {F}"),
    ("fesyen", 1.5, "Penjahit {C} {F}"), ("fesyen", 1.0, "Hijab {F}"),
    ("fesyen", 0.6, "Butik {F}"), ("fesyen", 0.8, "{B} Collection"),
    # jasa
    ("jasa", 1.2, "Laundry {B}"), ("jasa", 0.8, "{B} Laundry"),
    ("jasa", 1.5, "Bengkel {C} {F}"), ("jasa", 0.8, "Bengkel Motor {B}"),
    ("jasa", 1.2, "Salon {F}"), ("jasa", 0.6, "Barbershop {B}"),
    ("jasa", 0.6, "Percetakan {B}"), ("jasa", 0.6, "Fotokopi {B}"),
    ("jasa", 0.6, "Rias Pengantin {F}"), ("jasa", 0.4, "Servis Elektronik {F}"),
    # kriya
    ("kriya", 1.0, "Kerajinan Bambu {F}"), ("kriya", 0.6, "Anyaman Bambu {K}"),
    ("kriya", 0.6, "Gerabah {K}"), ("kriya", 0.6, "Souvenir {B}"),
    ("kriya", 0.6, "Mebel {F}"), ("kriya", 0.3, "Golok {K}"), ("kriya", 0.5, "Kerajinan {B}"),
    # pertanian
    ("pertanian", 1.2, "Budidaya Lele {F}"), ("pertanian", 0.6, "Budidaya Lele {B}"),
    ("pertanian", 0.6, "Ternak Kambing {F}"), ("pertanian", 0.5, "Hidroponik {B}"),
    ("pertanian", 0.4, "Tambak Bandeng {F}"), ("pertanian", 0.5, "Ternak Ayam {K}"),
    ("pertanian", 0.3, "KWT {B}"),
    # lainnya
    ("lainnya", 1.0, "Bimbel {B}"), ("lainnya", 1.0, "Agen BRILink {F}"),
    ("lainnya", 0.5, "Bank Sampah {K}"), ("lainnya", 0.4, "Les Privat {C} {F}"),
)

# Variants of leading form words per copy ("" = dropped). Multi-word keys first.
FORM_VARIANTS: dict[str, tuple[tuple[str, float], ...]] = {
    "Warung Makan": (("Warung Makan", 50), ("Warung", 15), ("WM", 8), ("RM", 4),
                     ("W. Makan", 3), ("Rumah Makan", 5), ("Warung Nasi", 5), ("", 10)),
    "Warung Nasi": (("Warung Nasi", 50), ("Warung", 15), ("Warung Makan", 12), ("WN", 3),
                    ("", 10)),
    "Warung Sembako": (("Warung Sembako", 40), ("Warung", 25), ("Toko Sembako", 10),
                       ("", 10)),
    "Warung": (("Warung", 65), ("Warung Sembako", 10), ("Toko", 5), ("Wr.", 3), ("", 17)),
    "Toko Sembako": (("Toko Sembako", 45), ("Toko", 25), ("Tk. Sembako", 5), ("Sembako", 5),
                     ("", 10)),
    "Toko": (("Toko", 70), ("Tk.", 6), ("Toko Sembako", 5), ("TK", 2), ("", 17)),
    "Rumah Makan": (("Rumah Makan", 55), ("RM", 15), ("RM.", 8), ("Warung Makan", 7), ("", 15)),
    "Kedai": (("Kedai", 70), ("Kedai Kopi", 8), ("", 22)),
    "Dapur": (("Dapur", 80), ("", 20)),
    "UD": (("UD", 40), ("UD.", 25), ("U.D.", 6), ("Ud", 4), ("", 25)),
    "Grosir": (("Grosir", 70), ("Toko Grosir", 10), ("", 20)),
    "Kios": (("Kios", 75), ("Toko", 10), ("", 15)),
    "Konveksi": (("Konveksi", 80), ("Konveksi Pakaian", 5), ("", 15)),
    "Bengkel": (("Bengkel", 75), ("Bengkel Motor", 12), ("Bkl.", 3), ("", 10)),
    "Bengkel Motor": (("Bengkel Motor", 55), ("Bengkel", 30), ("", 15)),
    "Salon": (("Salon", 80), ("Salon Kecantikan", 8), ("", 12)),
    "KWT": (("KWT", 60), ("Kelompok Wanita Tani", 20), ("", 20)),
}

# --------------------------------------------------------------------------------------------
# Sectors (codes and names as in src/naikkelas/registry/reference.py SECTORS; keep in sync)
# --------------------------------------------------------------------------------------------

SECTORS: tuple[tuple[str, str, float], ...] = (
    ("kuliner", "Kuliner", 0.40),
    ("perdagangan", "Perdagangan", 0.22),
    ("jasa", "Jasa", 0.14),
    ("fesyen", "Fesyen", 0.11),
    ("kriya", "Kriya", 0.05),
    ("pertanian", "Pertanian & perikanan", 0.05),
    ("lainnya", "Lainnya", 0.03),
)
SECTOR_VARIANTS: dict[str, tuple[str, ...]] = {
    "kuliner": ("Makanan & Minuman", "Makanan dan Minuman", "Mamin", "Makanan", "Olahan Pangan",
                "Kuliner/Makanan", "F&B", "Makanan Ringan"),
    "fesyen": ("Fashion", "Konveksi", "Pakaian", "Fashion/Busana", "Sandang", "Fesyen/Fashion"),
    "kriya": ("Kerajinan", "Kerajinan Tangan", "Handicraft", "Craft", "Kerajinan/Kriya"),
    "jasa": ("Jasa Lainnya", "Layanan Jasa", "Service", "Jasa/Layanan", "Jasa Perbengkelan"),
    "perdagangan": ("Dagang", "Toko/Warung", "Retail", "Perdagangan Eceran", "Warung Sembako",
                    "Jual Beli", "Perdagangan Umum"),
    "pertanian": ("Pertanian", "Perikanan", "Peternakan", "Pertanian/Perikanan", "Agribisnis",
                  "Pertanian dan Perikanan"),
    "lainnya": ("Lain-lain", "Lain lain", "Other", "-", "Lainya"),
}

# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------

# Street names per kecamatan (Kemendagri code), without the "Jl." label.
STREETS: dict[str, tuple[str, ...]] = {
    "36.73.01": (
        "Ahmad Yani", "Jend. Sudirman", "Diponegoro", "Veteran", "Maulana Hasanudin",
        "Tb. Suwandi", "Kagungan", "Trip Jamaksari", "KH. Abdul Fatah Hasan", "Letnan Jidun",
        "Samaun Bakri", "Raya Cilegon", "Kiapa", "Lopang Cilik",
    ),
    "36.73.02": (
        "Raya Banten", "Maulana Yusuf", "Raya Karangantu", "Kasemen Raya",
        "Sultan Ageng Tirtayasa", "Raya Pontang",
    ),
    "36.73.03": ("Raya Walantaka", "Raya Petir", "Raya Kalodran", "Raya Pipitan",
                 "Ciruas-Walantaka"),
    "36.73.04": ("Syekh Nawawi Al Bantani", "Raya Curug", "Raya Petir", "Palima",
                 "Raya Kemanisan"),
    "36.73.05": (
        "Raya Pandeglang", "Raya Serang-Jakarta", "Bhayangkara", "Raya Cipocok",
        "Lingkar Selatan", "Raya Banjar Agung", "Raya Karundang",
    ),
    "36.73.06": ("Raya Taktakan", "Raya Serang-Cilegon", "Raya Gunungsari", "Lingkar Selatan",
                 "Raya Drangong", "Raya Kalanganyar"),
}
# Written differently across lists.
STREET_VARIANTS: dict[str, tuple[str, ...]] = {
    "Ahmad Yani": ("Ahmad Yani", "A. Yani", "Achmad Yani", "A Yani"),
    "Jend. Sudirman": ("Jend. Sudirman", "Jenderal Sudirman", "Sudirman", "Jend Sudirman"),
    "Maulana Hasanudin": ("Maulana Hasanudin", "Maulana Hasanuddin", "Mulana Hasanudin"),
    "Tb. Suwandi": ("Tb. Suwandi", "TB Suwandi", "Tubagus Suwandi", "Tb Soewandi"),
    "KH. Abdul Fatah Hasan": ("KH. Abdul Fatah Hasan", "KH Abdul Fatah Hasan",
                              "Abdul Fatah Hasan", "K.H. Abd. Fatah Hasan"),
    "Syekh Nawawi Al Bantani": ("Syekh Nawawi Al Bantani", "Syeh Nawawi Albantani",
                                "Syekh Nawawi", "Sjech Nawawi Al Bantani"),
    "Raya Serang-Jakarta": ("Raya Serang-Jakarta", "Raya Serang Jakarta", "Serang-Jakarta"),
    "Raya Serang-Cilegon": ("Raya Serang-Cilegon", "Raya Serang Cilegon", "Serang-Cilegon"),
}

# Kampung names (rank-free pool); each kelurahan gets a handful plus its own name.
KAMPUNG = (
    "Cibogo", "Sukajaya", "Pabuaran", "Cilaku", "Sayabulu", "Kaloran", "Kebon Jahe", "Kaujon",
    "Ciwaru", "Kubang", "Cikulur", "Pejaten", "Sempu", "Tegal Buntu", "Kebon Kelapa",
    "Karang Kitri", "Kedung", "Pasir Kupa", "Babakan", "Pamarican", "Kroya", "Pakupatan",
    "Sindangsari", "Cibeber", "Kebaharan", "Priyayi", "Warung Pojok", "Benggala", "Serdang",
    "Ciracas", "Legok", "Dukuh", "Kemang", "Cilampang", "Kalumpang", "Pegantungan", "Bojong",
    "Sukasari", "Cigadung", "Cikentrung", "Pasir Gadung", "Kebon Sayur", "Tanjung Sari",
    "Cisangku", "Jaha", "Kemuning", "Pangebonan", "Lebak Sari", "Kadu", "Kadumerak", "Sawah",
    "Pasar Lama", "Kepandean", "Kaligandu Hilir", "Ciceri", "Kaserangan", "Pelamunan",
)
PERUM = (
    "Bumi Serang Baru", "Taman Banten Lestari", "Griya Serang Asri", "Serang Hijau",
    "Puri Serang Hijau", "Bumi Agung Permai", "Citra Gading", "Banten Indah Permai",
    "Taman Mutiara Indah", "Griya Permata Asri", "Bumi Mutiara Serang", "Taman Graha Asri",
)
KAMPUNG_LABELS = (("Kp.", 45), ("Kp", 12), ("Kmp.", 6), ("Kampung", 12), ("Link.", 8),
                  ("Lingk.", 5), ("Lingkungan", 4), ("", 8))
STREET_LABELS = (("Jl.", 55), ("Jl", 12), ("Jln.", 10), ("Jalan", 15), ("JL.", 5), ("Jln", 3))
PERUM_LABELS = (("Perum", 50), ("Perum.", 10), ("Perumahan", 20), ("Komp.", 8), ("Komplek", 7),
                ("Perumnas", 5))

# Kelurahan name variants seen in third-party lists (domain-facts §1.2 notes).
KELURAHAN_VARIANTS: dict[str, tuple[str, ...]] = {
    "Kalanganyar": ("Kalang Anyar",),
    "Kapuren": ("Kepuren",),
    "Pager Agung": ("Pageragung",),
    "Lontarbaru": ("Lontar Baru",),
    "Banjar Agung": ("Banjaragung",),
    "Curug Manis": ("Curugmanis",),
    "Sumur Pecung": ("Sumurpecung",),
    "Kota Baru": ("Kotabaru",),
    "Warung Jaud": ("Warungjaud",),
    "Mesjid Priyayi": ("Masjid Priyayi", "Mesjid Priyai"),
    "Sawah Luhur": ("Sawahluhur",),
    "Umbul Tengah": ("Umbultengah",),
    "Taman Baru": ("Tamanbaru",),
    "Cipocok Jaya": ("Cipocokjaya",),
    "Panggungjati": ("Panggung Jati",),
    "Lebakwangi": ("Lebak Wangi",),
    "Tegalsari": ("Tegal Sari",),
    "Banjarsari": ("Banjar Sari",),
    "Pancalaksana": ("Panca Laksana",),
    "Sukalaksana": ("Suka Laksana",),
}

# fmt: on
