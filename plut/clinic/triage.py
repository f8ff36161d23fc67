"""Triage: suggest PLUT service areas from a complaint written in the entrepreneur's own words.

A deliberately small, transparent model (MISSION.md capability 3, issue 4 "Intake"):

1. **Normalisation** (:func:`normalise`): casefold, accents dropped; ``ibu2`` → ``ibu`` and ``kata-kata`` → ``kata``
   (reduplication); short hyphenated prefixes are joined (``P-IRT`` → ``pirt``, ``e-wallet`` →
   ``ewallet``); digits are split from letters (``20jt`` → ``20 jt``); every other non-letter is a
   separator; the abbreviation/slang dictionary :data:`SLANG` is applied per token (chat Indonesian
   and Pontianak Malay: ``sy`` → ``saya``, ``gmn`` → ``bagaimana``, ``kamek`` → ``saya``,
   ``nak`` → ``mau``, ``rm`` → ``ringgit``, …); pure numbers are dropped.
2. **Stemming** (:func:`stem`) with PySastrawi's ``StemmerFactory`` (the stemmer is built once per
   process, stems are cached per token): ``pemasaran`` → ``pasar``, ``pembiayaan`` → ``biaya``.
   Words outside Sastrawi's dictionary (``shopee``, ``amplang``, ``nib``) are kept as they are.
   Stop words (:data:`STOPWORDS`, function words with no bearing on the area) are then removed
   (:func:`stems`).
3. **Features**: TF-IDF (sublinear tf, l2 norm) of stem unigrams and bigrams.
4. **Seed lexicon** (:data:`LEXICON`): a few keywords per area, each an extra training example.
5. **Classifier**: one binary classifier per area (one-vs-rest), so a complaint may belong to several
   areas. The default is L2 logistic regression with balanced class weights (``"logreg"``);
   multinomial and complement naive Bayes are available for comparison (``classifier=`` in
   :func:`train` and :func:`evaluate`). Chosen by held-out accuracy on the shipped set
   (``evaluate(load_csv_examples(), seed=0)``: 258 training, 92 held-out complaints of 350; in
   brackets the mean over split seeds 0–5)::

       classifier   top-1          exact-set      macro F1
       logreg       0.946 (0.928)  0.772 (0.770)  0.898 (0.887)   ← default, C=3, threshold 0.5
       complement   0.935 (0.904)  0.598 (0.643)  0.814 (0.820)
       multinomial  0.935 (0.897)  0.696 (0.658)  0.834 (0.797)

   Logistic regression wins on every measure, most clearly on exact-set accuracy: its per-area
   probabilities separate "also this area" from "not this area" at one threshold better. Without the
   seed :data:`LEXICON` (``use_lexicon=False``) logistic regression reaches top-1 0.750 (mean 0.793),
   exact-set 0.500, macro F1 0.711: the lexicon matters while the labelled set is small. Caveat:
   the shipped complaints and the lexicon were written by the same hand, so these figures flatter;
   the real accuracy is the agreement of ``Case.suggested_areas`` with the areas consultants confirm.

   (re-measure with ``python -m plut.clinic.triage``; the test suite asserts a floor on the default).

**Confidence** of an area is its binary classifier's probability that the complaint belongs to it,
``σ(b + Σ_j w_j·x_j)`` with ``x`` the TF-IDF vector, ``w``/``b`` the area's weights and intercept (for
naive Bayes ``w_j`` is the difference of the feature's log-probabilities given "area"/"not area").
Areas are scored independently, so confidences do not sum to 1. An area is *suggested* when its
confidence is at least :data:`THRESHOLD`; the best area is always suggested, unless the text has
no known feature at all (then nothing is suggested: the model has nothing to go on).

**Keywords** of a suggestion are the features (stems, or two stems for a bigram) with the largest
positive contributions ``w_j·x_j`` to that area: what made the model think so.

**Sources of training data** (:func:`default_model`): the shipped ``data/triage_examples.csv``
(columns ``text,areas``, areas separated by ``|``; invented complaints written the way
entrepreneurs in Kalimantan Barat write them) plus the office's
:class:`~plut.clinic.models.TriageExample` rows. The office extends the model by adding rows, then
calls :func:`invalidate` (other processes notice added/removed rows by themselves, see
:func:`default_model`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import math
import random
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # scikit-learn and numpy are imported when a model is trained (slow imports)
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

logger = logging.getLogger(__name__)

DATA_FILE = Path(__file__).resolve().parent / "data" / "triage_examples.csv"

#: An area other than the best one is suggested when its confidence reaches this.
THRESHOLD = 0.5
#: At most this many keywords are given per suggestion.
MAX_KEYWORDS = 5
CLASSIFIERS = ("logreg", "complement", "multinomial")
DEFAULT_CLASSIFIER = "logreg"
#: Inverse regularisation strength of the logistic regression.
LOGREG_C = 3.0
#: Additive smoothing of the naive Bayes classifiers.
NB_ALPHA = 1.0

#: Chat abbreviations, slang and Pontianak Malay → standard Indonesian (applied per token, after
#: casefolding). A value may hold several words (``medsos`` → ``media sosial``).
SLANG: dict[str, str] = {
    # pronouns and people
    "sy": "saya", "sya": "saya", "aku": "saya", "gw": "saya", "gue": "saya", "kamek": "saya",
    "kami": "kami", "kite": "kita", "kitak": "kamu", "org": "orang", "urang": "orang",
    # negation
    "tdk": "tidak", "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak",
    "enggak": "tidak", "engga": "tidak", "ndak": "tidak", "endak": "tidak", "tak": "tidak",
    "blm": "belum", "blom": "belum", "belom": "belum",
    # questions
    "gmn": "bagaimana", "gimana": "bagaimana", "gmana": "bagaimana", "camne": "bagaimana",
    "cemane": "bagaimana", "macammane": "bagaimana", "ape": "apa", "brp": "berapa",
    "berape": "berapa", "knp": "kenapa", "napa": "kenapa", "dmn": "dimana",
    # connectives and particles
    "krn": "karena", "karna": "karena", "krna": "karena", "utk": "untuk", "untk": "untuk",
    "dgn": "dengan", "dg": "dengan", "yg": "yang", "tp": "tapi", "tpi": "tapi", "dr": "dari",
    "kpd": "kepada", "jd": "jadi", "jg": "juga", "aja": "saja", "ajah": "saja", "sm": "sama",
    "kalo": "kalau", "klo": "kalau", "kl": "kalau", "spt": "seperti", "dll": "dan lain lain",
    "dsb": "dan sebagainya", "trs": "terus", "lg": "lagi", "cm": "cuma",
    # verbs, adverbs, quantities
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah", "bs": "bisa", "bsa": "bisa",
    "bise": "bisa", "hrs": "harus", "nak": "mau", "pengen": "ingin", "pingin": "ingin", "pgn": "ingin",
    "tau": "tahu", "tlg": "tolong", "mhn": "mohon", "dpt": "dapat", "msh": "masih", "skrg": "sekarang",
    "sblm": "sebelum", "krg": "kurang", "bgt": "banget", "bnyk": "banyak", "byk": "banyak",
    "sikit": "sedikit", "siket": "sedikit", "sdkt": "sedikit", "ade": "ada", "abis": "habis",
    "name": "nama", "harge": "harga", "krj": "kerja",
    # time, money, units
    "bln": "bulan", "thn": "tahun", "duit": "uang", "rb": "ribu", "jt": "juta", "rm": "ringgit",
    # things
    "ijin": "izin", "medsos": "media sosial", "olshop": "toko online", "ol": "online",
    "wa": "whatsapp", "ig": "instagram", "fb": "facebook", "suplier": "supplier",
    "sppirt": "pirt", "umk": "umk",
}

#: Function words removed after stemming (they say nothing about the area).
_STOPWORDS_TEXT = """
    saya aku kami kita kamu anda dia mereka ini itu tersebut sini sana situ yang dan atau tapi
    tetapi dengan untuk dari ke di pada kepada dalam oleh karena agar supaya biar sama juga saja
    lagi sudah belum masih akan mau ingin bisa dapat harus perlu apa apakah bagaimana berapa
    mana dimana kapan kenapa mengapa siapa ya yah kah lah pun dong sih deh nih tuh kok bah pak bu
    ibu bapak mohon tolong terima kasih ada adalah jadi kalau jika tidak bukan cuma hanya sangat
    banget terus se seperti lain sebagainya tahu sebenarnya selama sekarang kemarin
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())

#: Seed keywords of each area (from the area definitions, not from complaints). Each keyword is one
#: extra training example of its area, always in the training set and never held out, so that a
#: word seen in no complaint yet still points somewhere sensible.
LEXICON: dict[str, tuple[str, ...]] = {
    "kelembagaan": (
        "izin usaha", "perizinan", "legalitas", "NIB", "OSS", "P-IRT", "SPP-IRT", "izin edar", "BPOM",
        "sertifikat halal", "sertifikasi halal", "pendaftaran merek", "merek dagang", "HKI", "DJKI",
        "badan hukum", "badan usaha", "akta pendirian", "notaris", "PT perorangan", "CV", "koperasi",
        "NPWP", "SNI", "surat keterangan usaha", "KBLI", "AD/ART",
    ),
    "sdm": (
        "karyawan", "pegawai", "pekerja", "tenaga kerja", "staf", "rekrut", "gaji", "upah", "THR",
        "lembur", "BPJS Ketenagakerjaan", "pelatihan", "kursus", "magang", "keterampilan",
        "kompetensi", "kontrak kerja", "kinerja", "disiplin", "manajemen", "kepemimpinan",
        "sertifikasi kompetensi", "regenerasi",
    ),
    "produksi": (
        "produksi", "kualitas", "mutu", "kemasan", "pengemasan", "label", "bahan baku", "resep",
        "mesin", "alat", "peralatan", "kapasitas", "awet", "kedaluwarsa", "higienis", "higiene",
        "sanitasi", "penyimpanan", "uji lab", "standar mutu", "rusak", "cacat", "limbah",
    ),
    "pembiayaan": (
        "modal", "KUR", "kredit", "pinjaman", "bank", "bunga", "cicilan", "angsuran", "agunan",
        "jaminan", "hibah", "bantuan modal", "pembukuan", "laporan keuangan", "akuntansi",
        "arus kas", "kas", "untung", "rugi", "laba", "utang", "piutang", "pajak", "asuransi",
        "investor", "HPP", "biaya", "pinjol", "rentenir", "keuangan",
    ),
    "pemasaran": (
        "pemasaran", "penjualan", "jualan sepi", "pasar", "pembeli", "pelanggan", "promosi",
        "harga jual", "diskon", "omset", "pesaing", "merek", "branding", "pameran", "ekspor",
        "Malaysia", "Sarawak", "Kuching", "ringgit", "perbatasan", "PLBN", "oleh-oleh",
        "konsinyasi", "laku", "target pasar",
    ),
    "ti": (
        "online", "toko online", "marketplace", "Shopee", "Tokopedia", "Lazada", "TikTok",
        "TikTok Shop", "Instagram", "Facebook", "WhatsApp", "media sosial", "website", "aplikasi",
        "QRIS", "e-wallet", "internet", "sinyal", "digital", "konten", "akun", "HP", "Google Maps",
        "iklan online", "live streaming",
    ),
    "jaringan": (
        "mitra", "kemitraan", "kerja sama", "kerjasama", "pemasok", "supplier", "suplai",
        "distributor", "reseller", "agen", "asosiasi", "komunitas", "forum", "jaringan",
        "offtaker", "pengepul", "bapak angkat", "MoU", "perjanjian kerja sama", "temu bisnis",
        "business matching", "kolaborasi", "rekan usaha",
    ),
}

_TOKEN_SEP = re.compile(r"[^0-9a-z]+")
_REDUP_DIGIT = re.compile(r"\b([a-z]{2,})2\b")  # ibu2 → ibu
_HYPHENATED = re.compile(r"\b([0-9a-z]+)-([0-9a-z]+)\b")
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])")


def _hyphen(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if left == right:  # reduplication: kata-kata → kata
        return left
    if len(left) <= 3:  # a short prefix belongs to the word: p-irt → pirt, e-wallet → ewallet
        return left + right
    return f"{left} {right}"


def normalise(text: str) -> str:
    """Return ``text`` casefolded, without punctuation, with abbreviations expanded (space-joined)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))  # é → e
    text = _HYPHENATED.sub(_hyphen, text)
    text = _REDUP_DIGIT.sub(r"\1", text)
    text = _DIGIT_LETTER.sub(" ", text)
    words: list[str] = []
    for token in _TOKEN_SEP.split(text):
        if not token or token.isdigit():
            continue
        words.extend(SLANG.get(token, token).split())
    return " ".join(words)


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Sastrawi stem of one normalised token (``pemasaran`` → ``pasar``); cached."""
    return _stemmer().stem(token) or token


def stems(text: str) -> list[str]:
    """Stems of ``text`` after :func:`normalise`, stop words removed: the model's tokens."""
    out = []
    for token in normalise(text).split():
        s = stem(token)
        if s not in STOPWORDS and token not in STOPWORDS:
            out.append(s)
    return out


@dataclass(frozen=True)
class Suggestion:
    """A suggested service area: ``code``, ``confidence`` in 0..1, ``keywords`` that drove it."""

    code: str
    confidence: float
    keywords: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """``{"code", "confidence", "keywords"}`` (the shape stored in ``Case.suggested_areas``)."""
        return {"code": self.code, "confidence": round(self.confidence, 4), "keywords": list(self.keywords)}


Example = tuple[str, Sequence[str]]


def _canonical(examples: Iterable[Example]) -> list[tuple[str, tuple[str, ...]]]:
    """Examples cleaned and sorted so the model does not depend on the order they came in."""
    out = set()
    for text, areas in examples:
        codes = tuple(sorted({str(a).strip() for a in areas if str(a).strip()}))
        if text and text.strip() and codes:
            out.add((text.strip(), codes))
    return sorted(out)


def _version(data: list[tuple[str, tuple[str, ...]]], params: dict) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(params, sort_keys=True, default=list).encode())
    digest.update(json.dumps(SLANG, sort_keys=True).encode())
    digest.update(" ".join(sorted(STOPWORDS)).encode())
    for text, codes in data:
        digest.update(f"{text}\t{'|'.join(codes)}\n".encode())
    return digest.hexdigest()[:12]


class TriageModel:
    """A trained triage model; build it with :func:`train` (or get the shared one, :func:`default_model`).

    ``codes`` are the areas it knows (sorted); ``version`` a 12-hex-digit hash of the training data,
    the dictionaries and the parameters (stored with each case's suggestion, ``Case.suggestion_model``);
    ``size`` the number of training examples.
    """

    def __init__(self, vectorizer: TfidfVectorizer, codes: list[str], weights: np.ndarray,
                 intercepts: np.ndarray, *, version: str, size: int, classifier: str,
                 threshold: float = THRESHOLD) -> None:
        self.vectorizer = vectorizer
        self.codes = codes
        self.weights = weights  # (n_areas, n_features)
        self.intercepts = intercepts  # (n_areas,)
        self.version = version
        self.size = size
        self.classifier = classifier
        self.threshold = threshold
        self._features = vectorizer.get_feature_names_out()

    def __repr__(self) -> str:
        return f"<TriageModel {self.classifier} {self.version} ({self.size} examples)>"

    def _vector(self, text: str):
        return self.vectorizer.transform([" ".join(stems(text))])

    def scores(self, text: str) -> list[Suggestion]:
        """Every known area with its confidence and keywords, best first (ties by code)."""
        x = self._vector(text)
        if x.nnz == 0:
            return []
        idx, values = x.indices, x.data
        contributions = self.weights[:, idx] * values  # (n_areas, nnz)
        logits = contributions.sum(axis=1) + self.intercepts
        out = []
        for k, code in enumerate(self.codes):
            confidence = 1.0 / (1.0 + math.exp(-float(logits[k])))
            order = sorted(range(len(idx)), key=lambda j, k=k: (-contributions[k, j], self._features[idx[j]]))
            keywords = [str(self._features[idx[j]]) for j in order if contributions[k, j] > 0][:MAX_KEYWORDS]
            out.append(Suggestion(code, confidence, keywords))
        out.sort(key=lambda s: (-s.confidence, s.code))
        return out

    def suggest(self, text: str, *, top: int = 3, threshold: float | None = None) -> list[Suggestion]:
        """Suggested areas for a complaint, best first: at most ``top``.

        The best area is always included; the others only when their confidence reaches
        ``threshold`` (default :data:`THRESHOLD`; pass ``0`` for a plain top-``top`` ranking).
        Empty when the text contains nothing the model knows.
        """
        threshold = self.threshold if threshold is None else threshold
        ranked = self.scores(text)
        return [s for i, s in enumerate(ranked[:top]) if i == 0 or s.confidence >= threshold]


def _fit_linear(classifier: str, X, Y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Fit one binary classifier per column of ``Y``; return their weights and intercepts as logits."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.naive_bayes import ComplementNB, MultinomialNB

    if classifier == "logreg":
        base = LogisticRegression(C=LOGREG_C, class_weight="balanced", solver="liblinear", random_state=seed)
    elif classifier == "multinomial":
        base = MultinomialNB(alpha=NB_ALPHA)
    elif classifier == "complement":
        base = ComplementNB(alpha=NB_ALPHA)
    else:
        raise ValueError(f"unknown classifier {classifier!r}; choose one of {CLASSIFIERS}")
    ovr = OneVsRestClassifier(base).fit(X, Y)
    weights, intercepts = [], []
    for est in ovr.estimators_:
        if classifier == "logreg":
            weights.append(est.coef_[0])
            intercepts.append(est.intercept_[0])
        else:
            # Binary NB: P(area|x) = σ((log P(area) − log P(¬area)) + Σ x_j (θ_area,j − θ_¬area,j)).
            # ComplementNB ignores the prior when predicting (its θ are already complement weights).
            flp = est.feature_log_prob_
            weights.append(flp[1] - flp[0])
            prior = est.class_log_prior_[1] - est.class_log_prior_[0] if classifier == "multinomial" else 0.0
            intercepts.append(prior)
    return np.vstack(weights), np.asarray(intercepts, dtype=float)


def train(examples: Iterable[Example], *, seed: int = 0, classifier: str = DEFAULT_CLASSIFIER,
          use_lexicon: bool = True) -> TriageModel:
    """Train a model on ``(text, [area codes])`` pairs.

    The result does not depend on the order of ``examples`` (they are de-duplicated and sorted);
    the same data, seed and classifier give the same ``version`` and the same suggestions.
    Needs at least two areas, each with at least one example and not present in every example.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import MultiLabelBinarizer

    data = _canonical(examples)
    seeds = _canonical((kw, [code]) for code, kws in LEXICON.items() for kw in kws) if use_lexicon else []
    training = data + [s for s in seeds if s[0] not in {t for t, _ in data}]
    mlb = MultiLabelBinarizer()
    Y = mlb.fit_transform([codes for _, codes in training])
    codes = [str(c) for c in mlb.classes_]
    if len(codes) < 2:
        raise ValueError("triage needs examples of at least two areas")
    vectorizer = TfidfVectorizer(
        tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True
    )
    X = vectorizer.fit_transform([" ".join(stems(text)) for text, _ in training])
    weights, intercepts = _fit_linear(classifier, X, Y, seed)
    params = {"classifier": classifier, "seed": seed, "C": LOGREG_C, "alpha": NB_ALPHA,
              "ngram": [1, 2], "threshold": THRESHOLD, "format": 1,
              "lexicon": LEXICON if use_lexicon else None}
    return TriageModel(vectorizer, codes, weights, intercepts, version=_version(data, params),
                       size=len(data), classifier=classifier, threshold=THRESHOLD)


def load_csv_examples(path: Path | str = DATA_FILE) -> list[tuple[str, list[str]]]:
    """Read labelled examples from a CSV with columns ``text,areas`` (areas joined by ``|``)."""
    with open(path, newline="", encoding="utf-8") as f:
        return [
            (row["text"], [a.strip() for a in row["areas"].split("|") if a.strip()])
            for row in csv.DictReader(f)
        ]


def split(examples: Iterable[Example], *, test_fraction: float = 0.25, seed: int = 0):
    """Deterministic, stratified-ish split into ``(train, test)``.

    Examples are grouped by their label set (e.g. ``("pemasaran", "ti")``); each group is sorted,
    shuffled with ``random.Random(seed)`` and ``round(len(group) · test_fraction)`` of it is held out
    (at least one of a group of two or more), so every area and combination appears on both sides.
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for text, codes in _canonical(examples):
        groups.setdefault(codes, []).append(text)
    rng = random.Random(seed)  # noqa: S311 - a reproducible split, not a secret
    train_set, test_set = [], []
    for codes in sorted(groups):
        texts = groups[codes]
        rng.shuffle(texts)
        n_test = round(len(texts) * test_fraction)
        if n_test == 0 and len(texts) >= 2 and test_fraction > 0:
            n_test = 1
        test_set += [(t, list(codes)) for t in texts[:n_test]]
        train_set += [(t, list(codes)) for t in texts[n_test:]]
    return train_set, test_set


def evaluate(examples: Iterable[Example], *, test_fraction: float = 0.25, seed: int = 0,
             classifier: str = DEFAULT_CLASSIFIER, use_lexicon: bool = True) -> dict:
    """Train on part of ``examples`` (see :func:`split`) and measure on the held-out rest.

    Returns ``{"classifier", "version", "train_size", "test_size", "top1_accuracy" (the best
    suggestion is one of the true areas), "exact_set_accuracy" (the suggested set equals the true
    set), "macro_f1" (mean over areas of the F1 of the suggested sets), "per_area": {code:
    {"precision", "recall", "f1", "support"}}}``; fractions in 0..1, rounded to 4 places.
    """
    train_set, test_set = split(examples, test_fraction=test_fraction, seed=seed)
    model = train(train_set, seed=seed, classifier=classifier, use_lexicon=use_lexicon)
    top1 = exact = 0
    counts = {code: {"tp": 0, "fp": 0, "fn": 0} for code in model.codes}
    for text, truth in test_set:
        suggested = model.suggest(text, top=len(model.codes))
        predicted = {s.code for s in suggested}
        true = set(truth)
        top1 += bool(suggested) and suggested[0].code in true
        exact += predicted == true
        for code in predicted | true:
            c = counts.setdefault(code, {"tp": 0, "fp": 0, "fn": 0})
            if code in predicted and code in true:
                c["tp"] += 1
            elif code in predicted:
                c["fp"] += 1
            else:
                c["fn"] += 1
    per_area = {}
    for code, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_area[code] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                          "support": c["tp"] + c["fn"]}
    n = len(test_set) or 1
    return {
        "classifier": classifier,
        "version": model.version,
        "train_size": len(train_set),
        "test_size": len(test_set),
        "top1_accuracy": round(top1 / n, 4),
        "exact_set_accuracy": round(exact / n, 4),
        "macro_f1": round(sum(a["f1"] for a in per_area.values()) / (len(per_area) or 1), 4),
        "per_area": per_area,
    }


# --- the shared model of this process ---------------------------------------------------------------

_lock = threading.Lock()
_cached: tuple[object, TriageModel] | None = None  # (database fingerprint, model)


_UNREACHABLE = None


def _office_rows(fetch: bool):
    """``(fingerprint, rows)`` of the office's ``TriageExample`` table; rows only when ``fetch``.

    The fingerprint is ``(count, last id, last created_at)``; ``(None, [])`` when the table cannot be
    reached (no database, not migrated, or database access blocked as in a non-database test).
    """
    from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
    from django.db import DatabaseError
    from django.db.models import Count, Max

    try:
        from plut.clinic.models import TriageExample

        stats = TriageExample.objects.aggregate(n=Count("id"), last=Max("id"), at=Max("created_at"))
        fingerprint = (stats["n"], stats["last"], str(stats["at"]))
        rows = list(TriageExample.objects.order_by("id").values_list("text", "areas")) if fetch else []
    # RuntimeError: database access blocked (pytest-django outside a django_db test).
    except (DatabaseError, AppRegistryNotReady, ImproperlyConfigured, RuntimeError) as exc:
        logger.debug("triage: office examples unavailable (%s); using the shipped set only", exc)
        return _UNREACHABLE, []
    return fingerprint, rows


def _office_examples(rows) -> list[tuple[str, list[str]]]:
    examples = []
    for text, areas in rows:
        if isinstance(areas, str):
            areas = areas.split("|")
        if isinstance(areas, list) and all(isinstance(a, str) for a in areas):
            examples.append((text, areas))
        else:
            logger.warning("triage: ignoring a TriageExample with areas %r (not a list of codes)", areas)
    return examples


def default_model() -> TriageModel:
    """The process-wide model: the shipped CSV plus the office's ``TriageExample`` rows.

    Trained on first use (about a quarter of a second for 350 examples) and cached. Each call runs
    one aggregate query (count, last id, last created_at of the rows); when it differs from the one
    the cached model was trained with (rows added or removed, possibly by another process) the model
    is retrained. Edits of existing rows need :func:`invalidate`. When the table cannot be reached,
    the shipped set alone is used.
    """
    global _cached
    fingerprint, _ = _office_rows(fetch=False)
    with _lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1]
        fingerprint, rows = _office_rows(fetch=True)
        model = train([*load_csv_examples(), *_office_examples(rows)])
        _cached = (fingerprint, model)
        return model


def invalidate() -> None:
    """Forget the cached :func:`default_model` (call after the office adds or edits examples)."""
    global _cached
    with _lock:
        _cached = None


def suggest(text: str, *, top: int = 3) -> list[Suggestion]:
    """Shortcut: ``default_model().suggest(text, top=top)``."""
    return default_model().suggest(text, top=top)


if __name__ == "__main__":  # pragma: no cover - a report for whoever tunes the model
    import time

    shipped = load_csv_examples()
    for name in CLASSIFIERS:
        start = time.perf_counter()
        result = evaluate(shipped, classifier=name)
        result.pop("per_area")
        print(name, result, f"{time.perf_counter() - start:.2f}s")  # noqa: T201
