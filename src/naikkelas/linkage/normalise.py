"""Normalisation for record linkage of UMKM records (pure: no Django, no ORM).

Every function here is total (never raises on text input), deterministic and cheap: the
regular expressions and lookup tables are built once at import time, and nothing is cached,
so the functions can run over a million records.

What the features are for (constraints on the scoring and decision steps built on top):

* A NIK identifies the *owner*, not the business. The same NIK with a different sector and
  business name is the same owner running another business, not a duplicate business.
* A shared address or phone number is household evidence, not owner evidence: husband and
  wife with separate businesses at one address and one phone are different owners.

Sources: the team's ``domain-facts.md`` §2.1 (NIK layout) and §8 (spelling variants,
honorifics and titles, business form words). The raw value is never replaced by these keys; they are matching features only
(domain-facts §8.2, recommendation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from naikkelas.core.identifiers import parse_phone
from naikkelas.core.text import fold

__all__ = [
    "Address",
    "BusinessName",
    "NikParts",
    "NikSimilarity",
    "business_key",
    "business_key_and_kind",
    "business_kind",
    "business_name",
    "name_key",
    "name_tokens",
    "nik_parts",
    "nik_similarity",
    "nik_strong_evidence",
    "parse_address",
    "person_name",
    "phone_e164",
]

# --------------------------------------------------------------------------------------------
# Shared token helpers
# --------------------------------------------------------------------------------------------

# Apostrophes inside a name are dropped, not turned into a space: "Ma'ruf" -> "maruf".
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bc\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# --------------------------------------------------------------------------------------------
# Old spelling (domain-facts §8.1)
# --------------------------------------------------------------------------------------------

# A token showing any of these is written in Van Ophuijsen spelling (1901-1947/1972). The
# word-initial "nj" counts because no current-spelling Indonesian word starts with "nj"
# (Njoman -> Nyoman); a medial "nj" does not (current spelling: Panji, Sanjaya, Anjani).
_OLD_MARKER = re.compile(r"oe|dj|tj|sj|^nj")
# One left-to-right pass; the alternation order puts the digraphs before the lone "j".
_OLD_SPELLING = re.compile(r"oe|dj|tj|sj|ch|^nj|j")
_OLD_SPELLING_MAP = {
    "oe": "u",
    "dj": "j",
    "tj": "c",
    "sj": "sy",
    "ch": "kh",
    "nj": "ny",
    "j": "y",  # only ever reached in a token that carries an old-spelling marker
}


def _old_spelling_repl(match: re.Match[str]) -> str:
    return _OLD_SPELLING_MAP[match.group()]


def _fold_spelling(token: str) -> str:
    """Fold one lower-case token from old to current spelling (domain-facts §8.1).

    * ``oe -> u``, ``dj -> j``, ``tj -> c``, ``sj -> sy``, word-initial ``nj -> ny`` and
      ``ch -> kh`` (EYD 1972).
    * ``j -> y`` only inside a token that carries an old-spelling marker (``oe``, ``dj``,
      ``tj``, ``sj`` or an initial ``nj``): in Van Ophuijsen spelling /j/ is written ``dj``,
      so a lone ``j`` in such a token can only be /y/ (Soejono -> suyono, Tjahjono ->
      cahyono, Sandjaja -> sanjaya, Soenjoto -> sunyoto). In a token without a marker the
      ``j`` is left alone: "Joko", "Panji", "Sujono" and "Raja" are current spelling, and
      "Wahjudi" (mixed spelling) cannot be told from them. :func:`name_key` closes that gap
      by treating ``j`` and ``y`` as one symbol, as §8.1 recommends for matching keys.
    * The ``dj -> j`` rewrite can create a new digraph ("ddj" -> "dj"), so the marker rewrite
      repeats until no marker is left (each such round shortens the token, so it ends); this
      keeps the function idempotent.

    Doubled letters are not collapsed: §8 gives no general rule for it, only the Muhammad
    pattern ``m[ou]hamm?ad`` (see :func:`_unify_muhammad`).
    """
    if _OLD_MARKER.search(token) is None:
        return token.replace("ch", "kh") if "ch" in token else token
    while _OLD_MARKER.search(token) is not None:
        token = _OLD_SPELLING.sub(_old_spelling_repl, token)
    # "tjh" -> "ch": a "ch" can also appear only after the rewrite.
    return token.replace("ch", "kh") if "ch" in token else token


# --------------------------------------------------------------------------------------------
# Muhammad and other given-name variants (domain-facts §8.2)
# --------------------------------------------------------------------------------------------

MUHAMMAD = "muhammad"
# After old-spelling folding "ch" is already "kh": Mochammad -> mokhammad, Moch -> mokh.
_MUHAMMAD_FULL = re.compile(r"m[ou](?:k?h)?amm?[ae]d")
_INITIAL_M = "m"
_MUHAMMAD_SHORT = frozenset({"muh", "moh", "mhd", "mohd", "mokh", "mukh"})
# ch -> kh -> h variation of one name (§8.2: Achmad / Ahmad / Akhmad).
_GIVEN_NAME_VARIANTS = {"akhmad": "ahmad"}


def _unify_muhammad(tokens: list[str], *, allow_initial: bool) -> list[str]:
    """Muhammad, Muhamad, Mohammad, Mohamad, Muhammed, Mochammad, Moch., Moh., Muh., Mhd
    all become ``"muhammad"`` (domain-facts §8.2, pattern ``m[ou]hamm?ad|m[ou]h``).

    A lone ``M`` is only a weak signal (§8.2): it is unified only as the first token and
    only when a further name token follows ("M. Rizki"), never in last position where it is
    more likely an initial of a family name.
    """
    out: list[str] = []
    for index, word in enumerate(tokens):
        if word in _MUHAMMAD_SHORT or _MUHAMMAD_FULL.fullmatch(word):
            out.append(MUHAMMAD)
        elif word == _INITIAL_M and allow_initial and index == 0 and len(tokens) > 1:
            out.append(MUHAMMAD)
        else:
            out.append(_GIVEN_NAME_VARIANTS.get(word, word))
    return out


# --------------------------------------------------------------------------------------------
# Honorifics and titles (domain-facts §8.2)
# --------------------------------------------------------------------------------------------

# Matched after folding, with dots removed ("Hj." -> "hj") and after old-spelling folding
# ("Toean" -> "tuan", "Nj." -> "ny", "Hadji" -> "haji").
HONORIFICS = frozenset(
    {
        # salutations
        "bapak", "bpk", "bp", "pak", "tuan", "tn", "ibu", "bu", "nyonya", "ny", "nona",
        "nn", "saudara", "sdr", "saudari", "sdri",
        # religious
        "haji", "h", "hajjah", "hajah", "hj", "frater", "fr", "suster", "sr", "pendeta",
        "pdt", "pend", "pastur", "evangelis", "ev", "rev", "ustadz", "ustad", "ustaz",
        "ust", "ustadzah", "ustazah", "kyai", "kiai",
        "kh",  # K.H. = Kyai Haji (standard abbreviation of the §8.2 "Kyai")
        # other honorifics listed in §8.2; "teh"/"teteh" (Sundanese elder sister) per issue
        "raden", "gusti", "mas", "mbak", "kang", "bang", "mbah", "teh", "teteh",
        # Sundanese kin terms used as salutations in Banten lists (the business-name kin
        # list below has them too): "Mang Dadang", "Ceu Iyah", "Mak Enok", "Abah Ujang"
        "mang", "mamang", "ceu", "ceuceu", "mak", "emak", "abah", "akang", "abang", "buk",
        # academic / professional prefixes
        "drs", "dra", "drg", "drh", "ir", "dr", "doktor", "prof",
    }
)  # fmt: skip
# Islamic lineage particles (§8.2). Only the particle is dropped, the father's name is kept:
# "Ahmad bin Usman" and "Ahmad bin Salim" must stay different people.
_LINEAGE_PARTICLES = frozenset({"bin", "binti", "bintu"})

# Suffix degrees as listed in §8.2 (Lingua::ID::NameParse; SaktiDw/juned for A.Md.*).
_DEGREES = (
    "S.Ag S.Ars S.E. S.Fil S.H.I. S.H. S.Hum S.I.Kom S.I.P. S.Ked S.Kel S.K.G. S.K.H. "
    "S.K.M. S.Pd.I S.Pd. S.Pd.SD S.P. S.Psi S.Pt S.Sn S.Si S.S. S.S.T. S.Sos S.Th S.T. "
    "S.T.P. S.Kom S.Kep "
    "M.Ak M.A. M.A.R.S. M.Ars M.Biomed M.E.I. M.E. M.Gizi M.H.I. M.H. M.Hum M.Kep M.Kes "
    "M.K.K.K. M.K.K. M.K.M. M.Kn M.Kom M.M. M.M.T. M.Pd.I M.Pd. M.S.Ak M.S.E. M.Si M.S.M. "
    "M.T.I. M.T. "
    "A.Md. A.Md.Kom A.Md.Pt A.Md.Si "
    # not in the §8.2 lists but common: Sarjana Akuntansi, Ahli Madya Kebidanan/Keperawatan
    "S.Ak A.Md.Keb A.Md.Kep"
).split()
# Undotted, comma-less trailing forms that are also plausible name tokens are not stripped:
# "Lie Mei" keeps "mei" although "M.E.I." is a degree.
_NAMELIKE_DEGREES = frozenset({"mei", "ma", "mars"})


def _degree_regex(degree: str) -> str:
    parts = [part for part in degree.lower().split(".") if part]
    # Between parts: a dot (with optional spaces) or a single space, or nothing ("SPd").
    return r"(?:\.\s*|\s)?".join(parts) + r"\.?"


_DEGREE_ALTERNATIVES = sorted({_degree_regex(d) for d in _DEGREES}, key=len, reverse=True)
# Medical specialists such as "Sp.PD" or "Sp.P(K)" (§8.2); only in dotted form.
_DEGREE_ALTERNATIVES.append(r"sp\.\s*[a-z]{1,4}\.?(?:\s*\([a-z]{1,3}\))?")
_TRAILING_DEGREE = re.compile(
    r"(?P<sep>[\s,]+)(?P<degree>" + "|".join(_DEGREE_ALTERNATIVES) + r")[\s.,]*$"
)
_HAS_LETTER = re.compile(r"[a-z]")


def _strip_degrees(text: str) -> str:
    """Drop trailing academic degrees from folded text, keeping at least one letter."""
    # Only the tail can hold trailing degrees; searching it alone keeps long inputs cheap.
    while (match := _TRAILING_DEGREE.search(text, max(0, len(text) - 48))) is not None:
        head = text[: match.start()]
        if _HAS_LETTER.search(head) is None:
            break
        degree = match.group("degree")
        dotted = "." in degree or "," in match.group("sep")
        if not dotted and _NON_ALNUM.sub("", degree) in _NAMELIKE_DEGREES:
            break
        text = head
    return text


# "K.H." (Kyai Haji) would otherwise fall apart into the initials "k" and "h".
_DOTTED_KH = re.compile(r"(?<![a-z0-9])k\s*\.\s*h\s*\.?(?![a-z0-9])")


def _strip_leading_honorifics(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens) - 1 and tokens[start] in HONORIFICS:
        start += 1
    return tokens[start:]


# --------------------------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------------------------


def _raw_tokens(text: str) -> list[str]:
    return _NON_ALNUM.sub(" ", text).split()


def name_tokens(text: str) -> tuple[str, ...]:
    """The normalised tokens of a person's name, in order (see :func:`person_name`)."""
    folded = _APOSTROPHES.sub("", fold(text))
    folded = _DOTTED_KH.sub(" kh ", _strip_degrees(folded))
    tokens = [_fold_spelling(token) for token in _raw_tokens(folded)]
    tokens = _strip_leading_honorifics(tokens)
    tokens = _unify_muhammad(tokens, allow_initial=True)
    if len(tokens) > 1:
        tokens = tokens[:1] + [t for t in tokens[1:] if t not in _LINEAGE_PARTICLES]
        # Dropping a particle or a separator other than space/comma ("Budi:SE", "Budi SE
        # bin") can leave an undotted degree at the end; strip again so the result is final.
        tokens = _strip_degrees(" ".join(tokens)).split()
    return tuple(tokens)


def person_name(text: str) -> str:
    """A person's name as a matching feature (domain-facts §8.1, §8.2).

    ``"Hj. Siti Aminah, S.Pd."`` -> ``"siti aminah"``; ``"H. Moch. Soedjono"`` ->
    ``"muhammad sujono"``.

    1. Case, accents and spacing folded; apostrophes dropped ("Ma'ruf" -> "maruf"); any other
       punctuation separates tokens.
    2. Trailing academic degrees removed, dotted or not, with or without commas
       ("S.Pd.", "SE", "A.Md", "M.Kes", "Sp.P(K)"); undotted name-like ones ("Mei") stay
       unless a comma precedes them.
    3. Old spelling folded per token (see :func:`_fold_spelling`).
    4. Leading honorifics, salutations and titles removed, repeatedly ("Prof. Dr. Ir. H.",
       "Bpk", "Ibu", "Bu", "Ny.", "Teh", "Ust.") -- never the last remaining token.
    5. Muhammad variants unified to ``"muhammad"``; Achmad/Akhmad -> ``"ahmad"``.
    6. Lineage particles ``bin``/``binti`` dropped (the father's name is kept).
    """
    return " ".join(name_tokens(text))


def name_key(text: str) -> str:
    """A blocking key: sorted name tokens with ``j`` and ``y`` treated as one symbol.

    Word order does not matter ("Aminah Siti" == "Siti Aminah"), and the j/y collapse
    recommended by domain-facts §8.1 catches mixed old spelling that :func:`person_name`
    leaves alone ("Wahjudi" == "Wahyudi", "Jusuf" == "Yusuf"). It is a key, not a
    readable name.
    """
    return " ".join(sorted(token.replace("j", "y") for token in name_tokens(text)))


# --------------------------------------------------------------------------------------------
# Business names (domain-facts §8.3)
# --------------------------------------------------------------------------------------------

# Legal forms (§8.3, sourced). Canonical spelling on the right.
_LEGAL_FORMS = {
    "pt": "pt",
    "cv": "cv",
    "ud": "ud",
    "fa": "firma",
    "firma": "firma",
    "koperasi": "koperasi",
    "ksp": "ksp",
    "ksu": "ksu",
    "yayasan": "yayasan",
    "perkumpulan": "perkumpulan",
    "persero": "persero",
    "perum": "perum",
    "perumda": "perumda",
    "bumdes": "bumdes",
    "bumdesma": "bumdesma",
    "tbk": "tbk",
    "po": "po",
    # group names seen in Kota Serang farm data (§8.3, UNVERIFIED there)
    "kub": "kub",
    "kwt": "kwt",
    "poktan": "poktan",
    "gapoktan": "gapoktan",
}
# Legal forms that also appear after the name ("Sinar Abadi, CV", "PT Maju Tbk").
_LEGAL_SUFFIXES = frozenset({"pt", "cv", "ud", "firma", "tbk", "persero"})
# Descriptive form words (§8.3: Toko/Warung/Grosir sourced, the rest general usage;
# "Dapur" from the issue text). Two-word phrases are tried before single words.
_DESCRIPTIVE_FORMS = {
    "toko": "toko",
    "tk": "toko",  # "Tk. Mekar Sari"; a kindergarten (TK) named alike keeps the same core
    "warung": "warung",
    "kedai": "kedai",
    "dapur": "dapur",
    "depot": "depot",
    "kios": "kios",
    "bengkel": "bengkel",
    "salon": "salon",
    "konveksi": "konveksi",
    "katering": "katering",
    "catering": "katering",
    "grosir": "grosir",
    "rm": "rumah makan",
    "wm": "warung makan",
    "warung makan": "warung makan",
    "rumah makan": "rumah makan",
    "persekutuan perdata": "persekutuan perdata",
}
_FORMS = {**_LEGAL_FORMS, **_DESCRIPTIVE_FORMS}
_LEGAL_FORM_VALUES = frozenset(_LEGAL_FORMS.values())
# "P.T.", "C.V.", "U.D." (with or without spaces) -> "pt", "cv", "ud" (§8.3 recommendation).
_DOTTED_FORM = re.compile(r"(?<![a-z0-9])([pcu])\s*\.\s*([tvd])\s*\.?(?![a-z0-9])")
# In a business name "mas" is usually "emas" (gold: "Toko Mas Sinar") and "teh" is tea
# ("Warung Teh Poci"), not honorifics.
_BUSINESS_HONORIFICS = HONORIFICS - {"mas", "teh"}


def _dotted_form_repl(match: re.Match[str]) -> str:
    pair = match.group(1) + match.group(2)
    return f" {pair} " if pair in ("pt", "cv", "ud") else match.group()


@dataclass(frozen=True)
class BusinessName:
    """A business name split into its name proper and its form words (domain-facts §8.3).

    ``core`` is the name without form words and without honorifics in front of an owner's
    name; ``forms`` are the form words found, canonical and in order. A PT and a CV with the
    same ``core`` are different legal entities, so callers compare ``legal_form`` as a
    separate feature; descriptive words (toko, warung ...) only belong in a looser key.
    """

    core: str
    forms: tuple[str, ...]

    @property
    def form(self) -> str:
        """All form words as one string, ``""`` when there are none."""
        return " ".join(self.forms)

    @property
    def legal_form(self) -> str | None:
        """The first legal form (PT, CV, UD, koperasi ...), or ``None``."""
        for form in self.forms:
            if form in _LEGAL_FORM_VALUES:
                return form
        return None


def business_name(text: str) -> BusinessName:
    """Split a business name into ``core`` and form words (domain-facts §8.3).

    ``"Warung Makan Bu Iyah"`` -> core ``"iyah"``, forms ``("warung makan",)``;
    ``"UD. Sumber Rezeki"`` -> ``"sumber rezeki"``, ``("ud",)``; ``"Toko Kue Hj. Enok"`` ->
    ``"kue enok"``, ``("toko",)``; ``"PT. Maju Jaya Tbk"`` -> ``"maju jaya"``,
    ``("pt", "tbk")``.

    Form words are taken from the front (repeatedly) and legal forms also from the end;
    form words in the middle are part of the name. A word of six letters or more one typing
    error away from a form or kind word is read as that word ("Waroeng"/"Watung" ->
    "warung", "Koonveksi" -> "konveksi"; see :func:`_vocabulary_typo`). Honorifics are removed wherever they
    stand in front of another token ("Sate H. Ali" -> "sate ali"). Tokens get the same old
    spelling and Muhammad folding as person names. The core keeps at least one token.
    """
    folded = _APOSTROPHES.sub("", fold(text))
    folded = _DOTTED_FORM.sub(_dotted_form_repl, folded)
    tokens = [_vocabulary_typo(_fold_spelling(token)) for token in _raw_tokens(folded)]
    tokens = _unify_muhammad(tokens, allow_initial=False)
    tokens = [
        token
        for index, token in enumerate(tokens)
        if not (token in _BUSINESS_HONORIFICS and index < len(tokens) - 1)
    ]
    forms: list[str] = []
    start = 0
    while start < len(tokens) - 1:
        phrase = " ".join(tokens[start : start + 2])
        if start + 2 < len(tokens) and phrase in _FORMS:
            forms.append(_FORMS[phrase])
            start += 2
        elif tokens[start] in _FORMS:
            forms.append(_FORMS[tokens[start]])
            start += 1
        else:
            break
    end = len(tokens)
    suffixes: list[str] = []
    while end - start > 1 and _FORMS.get(tokens[end - 1]) in _LEGAL_SUFFIXES:
        suffixes.append(_FORMS[tokens[end - 1]])
        end -= 1
    forms.extend(reversed(suffixes))
    return BusinessName(core=" ".join(tokens[start:end]), forms=tuple(forms))


# Words that say what a business sells or does, not which business it is ("Nasi Uduk Bu
# Siti", "Siti Catering", "Motor Sumber Rezeki"): the same business is listed with and
# without them. UNVERIFIED as a sourced list (general usage, domain-facts §8.3 spirit).
_KIND_WORDS = frozenset(
    (
        # food
        "nasi uduk kuning bakso mie mi ayam bebek sate soto pecel gado lontong ketoprak seblak "
        "cilok cimol batagor siomay martabak gorengan kue kueh roti donat keripik kripik "
        "kerupuk krupuk emping melinjo mlinjo dodol rengginang abon ikan sambal kopi es jus "
        "jamu catering katering snack camilan cemilan bakery frozen food tahu tempe makan "
        "minuman makanan olahan geprek warteg "
        # fashion and crafts
        "batik konveksi jahit penjahit tailor butik pakaian busana hijab kerudung jilbab mukena "
        "bordir sablon kaos sepatu sandal tas kerajinan krajinan anyaman gerabah grabah "
        "souvenir suvenir aksesoris aksesori ukiran bambu rotan keramik mebel meubel furniture "
        # services and trade
        "laundry laundri londri loundry salon barbershop barber pangkas cukur bengkel motor "
        "mobil service servis cuci steam percetakan fotokopi fotocopy photocopy print printing "
        "digital elektronik reparasi cell celluler seluler ponsel pulsa counter konter sembako "
        "kelontong grosir agen brilink "
        "minimarket mart toko warung kedai depot kios "
        # farming
        "ternak peternakan budidaya lele kambing tani sayur hidroponik tambak"
    ).split()
)
# Nicknames and kin terms used in front of an owner's name inside a business name.
_BUSINESS_KIN = frozenset(
    "bu buk ibu pak bapak mak emak mang kang ceu teh bi bibi uwa abah umi mas mbak om tante "
    "cak bang neng ning mpok".split()
)
# Lucky words with many spellings (domain-facts §8.1 spirit: Rezeki/Rejeki/Rizki).
_BUSINESS_SYNONYMS = {
    **dict.fromkeys("berkah barokah barakah barkah berkat barokah".split(), "berkah"),
    **dict.fromkeys(
        "rezeki rejeki rizki rizqi rezky rizky rezeky rejeky rezki rezqi rejecki rizqy".split(),
        "rezeki",
    ),
}


# Form and kind words are typed as often wrong as names ("Watung", "Koonveksi",
# "Hirdoponik"); a wrong one would stay in the name key and hide the kind. Only words of six
# letters or more, and only with the first letter right (typing errors rarely hit it, and
# "Susana" must not become "busana").
_TYPO_MIN_LENGTH = 6
_AMBIGUOUS = ""


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _typo_index(words: Iterable[str]) -> dict[str, str]:
    """Each word and each of its one-letter deletions -> the word (symmetric deletion: two
    words share an entry when they differ by one insertion, deletion, substitution or
    swap of neighbours). An entry two words share is ambiguous and corrects nothing."""
    index: dict[str, str] = {}
    for word in sorted(words):
        if len(word) < _TYPO_MIN_LENGTH:
            continue
        for key in {word} | _deletes(word):
            known = index.get(key)
            index[key] = word if known in (None, word) else _AMBIGUOUS
    return index


def _vocabulary_typo(token: str) -> str:
    """The form or kind word ``token`` is one typing error away from, else ``token``."""
    if len(token) < _TYPO_MIN_LENGTH - 1 or token in _VOCABULARY or not token.isalpha():
        return token
    for key in (token, *_deletes(token)):
        word = _TYPO_INDEX.get(key)
        if word and word[0] == token[0]:
            return word
    return token


# Words for a shop as such, not what it sells: they say nothing about which business it is.
_OUTLET_WORDS = frozenset("toko warung kedai depot kios mart minimarket".split())
# Spellings of one kind of business.
_KIND_SYNONYMS = {
    **dict.fromkeys("laundri londri loundry".split(), "laundry"),
    "servis": "service",
    **dict.fromkeys("fotocopy photocopy".split(), "fotokopi"),
    # one product or trade, several words (a warung nasi is a warung makan)
    **dict.fromkeys("jilbab kerudung".split(), "hijab"),
    "tailor": "jahit",
    "makan": "nasi",
    **dict.fromkeys("celluler seluler ponsel".split(), "cell"),
    "krajinan": "kerajinan",
    "grabah": "gerabah",
    "peternakan": "ternak",
    "barber": "barbershop",
    **dict.fromkeys("meubel furniture".split(), "mebel"),
    "suvenir": "souvenir",
    "aksesori": "aksesoris",
    "katering": "catering",
    "camilan": "cemilan",
    "konter": "counter",
    "kueh": "kue",
    "kripik": "keripik",
    "krupuk": "kerupuk",
    "mlinjo": "melinjo",
    "mi": "mie",
    "penjahit": "jahit",
    **dict.fromkeys("pangkas cukur".split(), "barbershop"),
}


_VOCABULARY = frozenset(_KIND_WORDS | {form for form in _FORMS if " " not in form})
_TYPO_INDEX = _typo_index(_VOCABULARY)


def business_kind(text: str) -> str:
    """What a business sells or does, from its name: its kind words (not the outlet words
    Toko, Warung ...), spellings unified, sorted and space-separated; ``""`` when the name
    has none. ``"Warung Nasi Uduk Bu Siti"`` -> ``"nasi uduk"``; ``"Londri Berkah"`` ->
    ``"laundry"``. One owner's other business usually differs here; the same business
    listed twice rarely does."""
    return _kind_of(business_name(text))


def _kind_of(name: BusinessName) -> str:
    kinds = {
        _KIND_SYNONYMS.get(t, t)
        for t in " ".join((*name.forms, name.core)).split()
        if t in _KIND_WORDS and t not in _OUTLET_WORDS
    }
    return " ".join(sorted(kinds))


def business_key(text: str) -> str:
    """A looser business-name key: :func:`business_name`'s core without words for the kind
    of business, kin terms before a name, and with lucky-word spellings unified.

    ``"Motor Sumber Rezeky"`` and ``"Sumber Rezeki"`` -> ``"sumber rezeki"``;
    ``"Nasi Uduk Bu Siti"`` -> ``"siti"``; ``"Barokah Jaya"`` -> ``"berkah jaya"``. When only
    kind words are left (``"Toko Kue"``), the core is kept as it is.
    """
    return _key_of(business_name(text))


def business_key_and_kind(text: str) -> tuple[str, str]:
    """:func:`business_key` and :func:`business_kind` from one parse of the name."""
    name = business_name(text)
    return _key_of(name), _kind_of(name)


def _key_of(name: BusinessName) -> str:
    tokens = [_BUSINESS_SYNONYMS.get(t, t) for t in name.core.split()]
    kept = [t for t in tokens if t not in _KIND_WORDS]
    kept = [t for i, t in enumerate(kept) if not (t in _BUSINESS_KIN and i < len(kept) - 1)]
    return " ".join(kept) if kept else " ".join(tokens)


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------

_NUM = r"(\d{1,3})(?!\d)"
_LBL_RT = r"(?<![a-z])rt\s*[.:]?\s*"
_LBL_RW = r"(?<![a-z])rw\s*[.:]?\s*"
# "RT/RW 002/003", "rt.rw: 2/3", "RT-RW 02-03"
_RT_RW_JOINT = re.compile(
    r"(?<![a-z])rt\s*[./\\\-]?\s*rw\s*[.:]?\s*" + _NUM + r"\s*[/\\.\-]\s*" + _NUM
)
# "RW 03 RT 02", "rw.3/rt.2"
_RW_RT = re.compile(_LBL_RW + _NUM + r"\s*[/\\,\-]?\s*" + _LBL_RT + _NUM)
# "RT 02/RW 03", "rt.2 rw.3", "RT 02/03", "rt02rw03", "RT 2" (RW optional)
_RT = re.compile(
    _LBL_RT + _NUM + r"(?:\s*[/\\,\-]?\s*" + _LBL_RW + _NUM + r"|\s*[/\\]\s*" + _NUM + r")?"
)
_RW = re.compile(_LBL_RW + _NUM)
# A bare "02/03" at the very end of the address (only when no labelled RT/RW was found).
_BARE_RT_RW_END = re.compile(r"(?:^|(?<=[\s,;]))" + _NUM + r"\s*/\s*" + _NUM + r"[\s.,;]*$")
# "No. 5", "no 5A", "Nomor 12-B", "No.7/2"
_NUMBER = re.compile(
    r"(?<![a-z])(?:no|nomor|nomer|nmr)\s*[.:]?\s*"
    r"(\d{1,5}(?:\s?-?\s?[a-z])?(?:\s*[/\-]\s*\d{1,5}[a-z]?)?)(?![a-z0-9])"
)
# "12-b" and "12 b" are "12b"; a dash between digits ("12-14") stays.
_NUMBER_LETTER_DASH = re.compile(r"(?<=\d)-(?=[a-z])")
# "Blok C2", "blok c-2", "Blk. AA 12"
_BLOK = re.compile(
    r"(?<![a-z])(?:blok|blk)\s*[.:]?\s*([a-z]{0,3}\s*[\-.]?\s*\d{0,4}[a-z]?)(?![a-z0-9])"
)
# Segment labels. A label directly after another label is part of that label's value
# ("Jl. Kota Baru", "Jl. Kampung Melayu").
_LABEL = re.compile(
    r"(?<![a-z0-9])(jalan|jln|jl|gang|gg|kampung|kamp|kmp|kp|lingkungan|lingk|link|"
    r"perumahan|perum|kompleks|komplek|kompl|komp|cluster|kelurahan|kel|desa|ds|"
    r"kecamatan|kec|kabupaten|kab|kota|dusun|dsn)(?![a-z0-9])\.?"
)
_LABEL_KIND = {
    "jalan": "street",
    "jln": "street",
    "jl": "street",
    "gang": "gang",
    "gg": "gang",
    "kampung": "kampung",
    "kamp": "kampung",
    "kmp": "kampung",
    "kp": "kampung",
    "lingkungan": "kampung",
    "lingk": "kampung",
    "link": "kampung",
    "perumahan": "perumahan",
    "perum": "perumahan",
    "kompleks": "perumahan",
    "komplek": "perumahan",
    "kompl": "perumahan",
    "komp": "perumahan",
    "cluster": "perumahan",
}
_PARTS = re.compile(r"[,;]+")
_ONLY_SPACES_BETWEEN = re.compile(r"\s*")


@dataclass(frozen=True)
class Address:
    """A free-text address split into parts; every part is folded (lower case, no dots).

    ``street`` keeps its word ``"jalan"`` ("Jl. Raya Serang" -> ``"jalan raya serang"``);
    the other labelled parts hold the value only (``kampung="cibogo"``). ``rt``/``rw``
    are 3-digit strings. ``rest`` is everything not recognised, e.g. ``"kel cipare"``.
    """

    street: str | None = None
    gang: str | None = None
    kampung: str | None = None
    perumahan: str | None = None
    blok: str | None = None
    number: str | None = None
    rt: str | None = None
    rw: str | None = None
    rest: str = ""


def _pad3(value: str | None) -> str | None:
    if value is None or int(value) == 0:
        return None
    return value.zfill(3)


def _clean(text: str) -> str:
    return " ".join(_raw_tokens(text))


def _cut(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " , " + text[match.end() :]


def parse_address(text: str) -> Address:
    """Parse a free-text Indonesian address into parts.

    ``"Jl. Raya Serang No. 5A RT 02/RW 03 Kel. Cipare"`` -> street ``"jalan raya serang"``,
    number ``"5a"``, rt ``"002"``, rw ``"003"``, rest ``"kel cipare"``.

    * RT/RW in any common form: ``RT 02/RW 03``, ``rt.2 rw.3``, ``RT/RW 002/003``,
      ``RW 03 RT 02``, ``RT 02/03``, ``rt02rw03``, and a bare ``02/03`` at the very end
      when no labelled RT/RW is present. RT or RW ``0`` counts as missing.
    * House number after ``No``/``Nomor``; ``Blok`` values without separators (``"c2"``).
    * Street (``Jl``/``Jln``/``Jalan``), gang (``Gg``/``Gang``), kampung (``Kp``/``Kmp``/
      ``Kampung``/``Lingk``/``Link``/``Lingkungan``), perumahan (``Perum``/``Komplek``/
      ``Komp``/``Cluster``). A part ends at a comma or the next label; kelurahan, desa,
      kecamatan, kabupaten and kota labels end a part and go to ``rest``.
    """
    s = fold(text)
    rt: str | None = None
    rw: str | None = None
    # Each pattern only runs when its literal word is there at all (a plain substring test
    # is far cheaper than a regex scan; a million addresses go through here).
    has_rt, has_rw = "rt" in s, "rw" in s
    if has_rt and has_rw and (match := _RT_RW_JOINT.search(s)) is not None:
        rt, rw = match.group(1), match.group(2)
        s = _cut(s, match)
    elif has_rt and has_rw and (match := _RW_RT.search(s)) is not None:
        rw, rt = match.group(1), match.group(2)
        s = _cut(s, match)
    elif has_rt and (match := _RT.search(s)) is not None:
        rt, rw = match.group(1), match.group(2) or match.group(3)
        s = _cut(s, match)
    if rw is None and has_rw and (match := _RW.search(s)) is not None:
        rw = match.group(1)
        s = _cut(s, match)

    number: str | None = None
    if ("no" in s or "nmr" in s) and (match := _NUMBER.search(s)) is not None:
        number = _NUMBER_LETTER_DASH.sub("", "".join(match.group(1).split()))
        s = _cut(s, match)
    blok: str | None = None
    if "bl" in s and (match := _BLOK.search(s)) is not None and _NON_ALNUM.sub("", match.group(1)):
        blok = _NON_ALNUM.sub("", match.group(1))
        s = _cut(s, match)
    if rt is None and rw is None and "/" in s and (match := _BARE_RT_RW_END.search(s)) is not None:
        rt, rw = match.group(1), match.group(2)
        s = s[: match.start()]

    found: dict[str, str] = {}
    rest: list[str] = []
    for part in _PARTS.split(s):
        labels: list[re.Match[str]] = []
        for label in _LABEL.finditer(part):
            if labels and _ONLY_SPACES_BETWEEN.fullmatch(part, labels[-1].end(), label.start()):
                continue  # label right after a label: part of the value
            labels.append(label)
        if not labels:
            rest.append(part)
            continue
        rest.append(part[: labels[0].start()])
        for index, label in enumerate(labels):
            stop = labels[index + 1].start() if index + 1 < len(labels) else len(part)
            value = _clean(part[label.end() : stop])
            kind = _LABEL_KIND.get(label.group(1))
            if kind is None or not value or kind in found:
                rest.append(part[label.start() : stop])
                continue
            found[kind] = f"jalan {value}" if kind == "street" else value
    return Address(
        street=found.get("street"),
        gang=found.get("gang"),
        kampung=found.get("kampung"),
        perumahan=found.get("perumahan"),
        blok=blok,
        number=number,
        rt=_pad3(rt),
        rw=_pad3(rw),
        rest=_clean(" ".join(rest)),
    )


# --------------------------------------------------------------------------------------------
# NIK (domain-facts §2.1)
# --------------------------------------------------------------------------------------------

_NIK_SEPARATORS = re.compile(r"[\s.\-]+")

NikSimilarity = Literal["exact", "one_typo", "transposition", "different", "missing"]


@dataclass(frozen=True)
class NikParts:
    """The fields of a 16-digit NIK ``PP KK CC DDMMYY NNNN`` (domain-facts §2.1).

    ``regency`` and ``district`` are the cumulative 4- and 6-digit codes ("3673",
    "367306"), as used for the wilayah lookup. ``birth_day`` is the real day (women have 40
    added in the NIK; ``sex`` is ``"P"`` then, else ``"L"``). The century is not encoded,
    so only the two-digit ``birth_year`` is given. The code place is where the NIK was
    first registered, not the current domicile.
    """

    nik: str
    province: str
    regency: str
    district: str
    birth_day: int
    birth_month: int
    birth_year: int
    sex: Literal["L", "P"]
    serial: str


def _nik_digits(nik: str) -> str | None:
    compact = _NIK_SEPARATORS.sub("", nik.strip())
    if len(compact) != 16 or not (compact.isascii() and compact.isdigit()):
        return None
    return compact


def nik_parts(nik: str) -> NikParts | None:
    """Split a NIK into its parts; ``None`` unless it is 16 digits (spaces/dots/dashes ok).

    No date validation happens here (``naikkelas.core.identifiers.parse_nik`` does that):
    a NIK with a typo in its date part still has useful region and serial parts.
    """
    digits = _nik_digits(nik)
    if digits is None:
        return None
    day = int(digits[6:8])
    sex: Literal["L", "P"] = "P" if day > 40 else "L"
    return NikParts(
        nik=digits,
        province=digits[:2],
        regency=digits[:4],
        district=digits[:6],
        birth_day=day - 40 if day > 40 else day,
        birth_month=int(digits[8:10]),
        birth_year=int(digits[10:12]),
        sex=sex,
        serial=digits[12:],
    )


def nik_similarity(a: str, b: str) -> NikSimilarity:
    """How close two NIKs are.

    ``"missing"`` when either is not 16 digits; ``"exact"``; ``"one_typo"`` when exactly
    one digit differs (Hamming distance 1); ``"transposition"`` when exactly two adjacent
    digits are swapped; otherwise ``"different"``.
    """
    x = _nik_digits(a)
    y = _nik_digits(b)
    if x is None or y is None:
        return "missing"
    if x == y:
        return "exact"
    diffs = [i for i in range(16) if x[i] != y[i]]
    if len(diffs) == 1:
        return "one_typo"
    if len(diffs) == 2:
        i, j = diffs
        if j == i + 1 and x[i] == y[j] and x[j] == y[i]:
            return "transposition"
    return "different"


def nik_strong_evidence(a: str, b: str, *, birth_date_agree: bool, sex_agree: bool) -> bool:
    """True when the NIKs are strong evidence that two records have the same *owner*.

    An exact NIK always is. A NIK with a one-digit typo or two swapped adjacent digits is
    only when the records' birth dates and sexes also agree (issue text). This is evidence
    about the owner, not the business: one owner may run several businesses.
    """
    level = nik_similarity(a, b)
    if level == "exact":
        return True
    if level in ("one_typo", "transposition"):
        return birth_date_agree and sex_agree
    return False


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------


def phone_e164(raw: str | int | float | None) -> str | None:
    """The phone number in E.164 (``"+6281234567890"``), or ``None`` when not valid.

    Delegates to :func:`naikkelas.core.identifiers.parse_phone`; foreign numbers (a
    warning there) are kept.
    """
    result = parse_phone(raw)
    return result.value if result.ok else None
