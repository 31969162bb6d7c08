"""How matching reads a name (pure): folded, abbreviations and the second language brought to one form, words sorted by
what they say about identity. Every table here is named and listed in docs/imports.md ("Normalisation").
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from foodcommons.core.text import fold

# Written-out forms and their abbreviation, both ways: a list that writes "Groupe d'achat commun" and one that writes
# "GAC" both come to "gac" (words folded, apostrophes and hyphens as spaces).
ABBREVIATION_PHRASES: dict[str, str] = {
    "groupe d achat solidaire de l agriculture paysanne": "gasap", "groupes d achat solidaires de l agriculture paysanne": "gasap",
    "groupe d achat solidaire": "gas", "groupe d achat commun": "gac", "groupement d achat commun": "gac",
    "groupe d achats communs": "gac", "groupe d achat en commun": "gac", "groupe d achat alimentaire": "gaa",
    "groupe d achat": "ga", "groupement d achat": "ga", "association sans but lucratif": "asbl",
    "vereniging zonder winstoogmerk": "vzw", "association pour le maintien d une agriculture paysanne": "amap",
    "community supported agriculture": "csa", "systeme d echange local": "sel", "compost de quartier": "compost",
    "magasin a la ferme": "ferme magasin", "marche fermier": "marche ferme", "jardin partage": "jardin",
    "jardins partages": "jardins", "potager collectif": "potager", "potagers collectifs": "potagers",
}
# Single words spelled another way, or in the other language of the country (Dutch to French): one form for both.
WORD_FORMS: dict[str, str] = {
    "st": "saint", "ste": "sainte", "sint": "saint", "bxl": "bruxelles", "brussel": "bruxelles", "brussels": "bruxelles",
    "coop": "cooperative", "cie": "compagnie", "av": "avenue", "bd": "boulevard", "ch": "chaussee",
    "moestuin": "potager", "moestuinen": "potagers", "groentetuin": "potager", "tuin": "jardin", "tuinen": "jardins",
    "buurtcompost": "compost", "buurt": "quartier", "wijk": "quartier", "markt": "marche", "hoeve": "ferme", "boerderij": "ferme",
    "boerenmarkt": "marche ferme",  # a farmers' market, as "marché fermier" reads (ABBREVIATION_PHRASES): not any market
    "winkel": "magasin", "hoevewinkel": "ferme magasin", "weggeefwinkel": "donnerie", "imkerij": "apiculture", "automaat": "distributeur",
    "maandag": "lundi", "dinsdag": "mardi", "woensdag": "mercredi", "donderdag": "jeudi", "vrijdag": "vendredi",
    "zaterdag": "samedi", "zondag": "dimanche", "wekelijkse": "hebdomadaire", "collectieve": "collectif", "gedeelde": "partage",
    "straat": "rue", "laan": "avenue", "plein": "place", "steenweg": "chaussee", "dreef": "dreve", "kaai": "quai", "weg": "chemin",
    # Words of Brussels street names the bilingual street table may lack ("Grote Bosstraat" is "Grande Rue au Bois").
    "groot": "grand", "grote": "grande", "klein": "petit", "kleine": "petite", "oud": "vieux", "oude": "vieux", "bos": "bois",
    "kerk": "eglise", "molen": "moulin", "brug": "pont", "veld": "champ",
}
# Dutch compounds end with the generic word ("Vrijdagmarkt", "Walckiersstraat", "Buurtcompost"): split off, it is read
# as the word alone. Longest first; the head must keep three letters.
COMPOUND_TAILS = ("steenweg", "boerderij", "automaat", "compost", "straat", "winkel", "marche", "markt", "hoeve", "plein", "dreef",
                  "laan", "tuin", "kaai")
# Dutch compounds that begin with the generic word ("Hoeveslagerij", "Buurtmoestuin"): split off too; the rest must
# keep four letters.
COMPOUND_HEADS = ("boerderij", "hoeve", "buurt", "ferme")
# Words that only join others: never part of what identifies an actor.
STOP_WORDS = frozenset([
    "de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "the", "of", "and", "van", "het", "een", "der", "die", "das", "den",
    "ter", "te", "op", "in", "sur", "lez", "les"
])
# Legal forms: a list adds or drops them at will.
LEGAL_FORMS = frozenset(["asbl", "vzw", "sprl", "srl", "sc", "scrl", "scs", "sa", "bv", "nv", "cv"])
# Words that say what kind of actor a name is, not which one ("GAC", "potager", "marché"): they carry little identity.
KIND_WORDS = frozenset([
    "gasap", "gac", "gaa", "gas", "ga", "csa", "amap", "sel", "coop", "cooperative", "groupe", "groupement", "achat", "achats", "solidaire", "solidaires",
    "commun", "communs", "compost", "composte", "quartier", "jardin", "jardins", "potager", "potagers", "collectif", "collective", "collectifs",
    "partage", "partagee", "partages", "partager", "marche", "marches", "ferme", "fermes", "epicerie", "sociale", "magasin", "restaurant", "social",
    "resto", "cafe", "donnerie", "apiculture", "distributeur", "hebdomadaire", "rue", "avenue", "place", "chaussee", "dreve", "quai", "chemin",
    "boulevard"
])
# Kind words that name a street: the place name after one is the street's ("Chaussée de Louvain"), not where the actor is.
STREET_KINDS = frozenset(["rue", "avenue", "place", "chaussee", "dreve", "quai", "chemin", "boulevard"])
# Kind words that qualify another ("collectif", "partagé"): two names of one kind may differ by them.
MODIFIER_WORDS = frozenset([
    "collectif", "collective", "collectifs", "partage", "partagee", "partages", "partager", "solidaire", "solidaires", "commun", "communs", "social",
    "sociale", "hebdomadaire", "quartier", "groupe", "groupement", "achat", "achats"
])
# A word of six letters or more one slip (a letter changed, dropped, added or two swapped) from a generic word is read
# as that word: "Gorupe d'achat", "Potager clolectif"; a word of five, only two letters swapped ("acaht").
TYPO_TOLERANT_LENGTH = 6
SWAP_TOLERANT_LENGTH = 5
_GENERIC = (KIND_WORDS | LEGAL_FORMS | {w for phrase in ABBREVIATION_PHRASES for w in phrase.split()}
            | {w for w, form in WORD_FORMS.items() if set(form.split()) <= KIND_WORDS})
_LONG_GENERIC = sorted(w for w in _GENERIC if len(w) >= SWAP_TOLERANT_LENGTH)
_WORDS = re.compile(r"[^\w]+")
_SHOUTED_ENTITY = re.compile(r"&([A-Z][A-Za-z]+);")  # "&EACUTE;": a list put in capitals after escaping
_MAX_PHRASE = max(len(p.split()) for p in ABBREVIATION_PHRASES)
_PHRASES = {tuple(p.split()): tuple(r.split()) for p, r in ABBREVIATION_PHRASES.items()}
_PHRASE_STARTS = frozenset(p[0] for p in _PHRASES)
# A one-word Dutch street name with a slip ("Leuevnsesteenweg") is still looked up in the street table, when it is this
# long (shorter words have too many neighbours one slip away) and ends like a street name.
STREET_SLIP_LENGTH = 10
STREET_ENDINGS = ("straat", "steenweg", "laan", "plein", "dreef", "kaai", "weg", "lei", "hof", "park")


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: read_name keeps its answers per vocabulary
class Vocabulary:
    """What matching knows of the country's names: place names (localities, communes) and Dutch street names in French."""

    places: frozenset[tuple[str, ...]] = frozenset()
    streets: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    longest: int = 1
    starts: frozenset[str] = frozenset()  # the first words of the streets: the only places a street may begin
    place_starts: frozenset[str] = frozenset()  # the first words of the place names
    # The one-word streets of the table under each of their one-letter deletions (and themselves): a word one slip away
    # from a street shares one of these keys with it (symmetric deletion), then the slip is checked.
    street_slips: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, places=(), streets=()) -> "Vocabulary":
        """Build a vocabulary from place names and (Dutch, French) street-name pairs, folded here."""
        place_words = frozenset(t for p in places if (t := tuple(w for x in words(p) for w in _read_word(x) if w not in STOP_WORDS)))
        street_words = {tuple(words(nl)): tuple(words(fr)) for nl, fr in streets if nl and fr and words(nl) != words(fr)}
        longest = max((len(k) for k in (*place_words, *street_words)), default=1)
        slips: dict[str, set[str]] = {}
        for (word, *more) in street_words:
            if not more and len(word) >= STREET_SLIP_LENGTH - 1:
                for variant in (word, *_deletions(word)):
                    slips.setdefault(variant, set()).add(word)
        return cls(place_words, street_words, longest, frozenset(k[0] for k in street_words), frozenset(p[0] for p in place_words),
                   {k: tuple(sorted(v)) for k, v in slips.items()})

    def street_despite_slip(self, word: str) -> tuple[str, ...] | None:
        """Return the French words of the one-word street `word` names with one slip, or None (none, or several)."""
        if len(word) < STREET_SLIP_LENGTH or not word.endswith(STREET_ENDINGS) or (word,) in self.streets:
            return None
        near = {s for variant in (word, *_deletions(word)) for s in self.street_slips.get(variant, ())}
        found = [s for s in near if OSA.distance(word, s, score_cutoff=1) <= 1]
        return self.streets[(found[0],)] if len(found) == 1 else None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


NO_VOCABULARY = Vocabulary()


@dataclass(frozen=True)
class Name:
    """A name as matching reads it: the words that identify it, the place names among them, the kind words."""

    specific: tuple[str, ...]  # neither stop words, legal forms nor kind words (place names included)
    identity: frozenset[str]  # the specific words that are not place names
    kinds: tuple[str, ...]  # kind words, in order
    text: str  # the words compared with another: the specific ones, else (a name made only of generic words) all of them

    @property
    def generic_only(self) -> bool:
        return not self.specific


def words(text: str) -> list[str]:
    """Return the folded words of a text: HTML entities decoded (twice-escaped ones too), accents and case folded."""
    text = text or ""
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(_SHOUTED_ENTITY.sub(lambda m: f"&{m.group(1).lower()};", text))
    return _WORDS.sub(" ", fold(text)).replace("_", " ").split()


@lru_cache(maxsize=65536)
def _read_word(word: str) -> tuple[str, ...]:
    """Return a word as matching reads it: a known form, a split compound, a generic word despite a slip."""
    if word in WORD_FORMS:
        return tuple(WORD_FORMS[word].split())
    for tail in COMPOUND_TAILS:
        if word.endswith(tail) and len(word) - len(tail) >= 3:
            return (*_read_word(word[: -len(tail)]), *_read_word(tail))
    if len(word) >= 8:
        # The tail with a slip ("Woensdagmarhcé", "Meuxplien"): tails of five letters or more only.
        for tail in COMPOUND_TAILS:
            for cut in (len(tail) - 1, len(tail), len(tail) + 1):
                if len(tail) >= 5 and len(word) - cut >= 3 and OSA.distance(word[-cut:], tail, score_cutoff=1) <= 1:
                    return (*_read_word(word[:-cut]), *_read_word(tail))
    for head in COMPOUND_HEADS:
        if word.startswith(head) and len(word) - len(head) >= 4:
            return (*_read_word(head), *_read_word(word[len(head):]))
    if len(word) >= SWAP_TOLERANT_LENGTH and word not in _GENERIC and not word.isdigit():
        for generic in _LONG_GENERIC:
            if abs(len(generic) - len(word)) <= 1 and OSA.distance(word, generic, score_cutoff=1) <= 1 and (
                    len(word) >= TYPO_TOLERANT_LENGTH or sorted(word) == sorted(generic)):
                return _read_word(generic)
    return (word,)


def _phrases(tokens: list[str], table: dict, longest: int, starts: frozenset[str]) -> list[str]:
    """Replace the longest known phrases of `table` (which begin with one of `starts`) in `tokens` by their replacement."""
    if starts.isdisjoint(tokens):
        return tokens
    out, i = [], 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i) if tokens[i] in starts else 0, 0, -1):
            found = table.get(tuple(tokens[i:i + n]))
            if found is not None:
                out.extend(found)
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=65536)
def read_name(name: str, vocabulary: Vocabulary = NO_VOCABULARY) -> Name:
    """Return how matching reads a name (see the tables above)."""
    tokens = words(name)
    if vocabulary.streets:
        tokens = _phrases(tokens, vocabulary.streets, vocabulary.longest, vocabulary.starts)
        tokens = [w for t in tokens for w in (vocabulary.street_despite_slip(t) or (t,))]
    tokens = [w for t in tokens for w in _read_word(t)]
    tokens = _phrases(tokens, _PHRASES, _MAX_PHRASE, _PHRASE_STARTS)
    kept = [t for t in tokens if t not in STOP_WORDS and t not in LEGAL_FORMS]
    specific = tuple(t for t in kept if t not in KIND_WORDS)
    kinds = tuple(t for t in kept if t in KIND_WORDS)
    # Positions in `specific` of the words just after a street kind: "Louvain" of "Chaussée de Louvain" is no place.
    street_named = {n for n, i in enumerate(i for i, t in enumerate(kept) if t not in KIND_WORDS) if i and kept[i - 1] in STREET_KINDS}
    text = " ".join(specific or kinds or [t for t in tokens if t not in STOP_WORDS] or tokens)
    places: set[str] = set()
    if vocabulary.places and not vocabulary.place_starts.isdisjoint(specific):
        for i, word in enumerate(specific):
            if word in vocabulary.place_starts and i not in street_named:
                for n in range(min(vocabulary.longest, len(specific) - i), 0, -1):
                    if specific[i:i + n] in vocabulary.places:
                        places.update(specific[i:i + n])
    return Name(specific, frozenset(t for t in specific if t not in places), kinds, text)
