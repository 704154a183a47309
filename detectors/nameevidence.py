"""What the words around one word say about it being a person's name.

A surname or given name used alone ("Murkowski goes write-in", "coach Dantonio", "Trump's") is
a person when the text around it says so; a capitalized word with nothing around it
("Goodnight", "Yay", "Minecraft") is not. Real posts write people this way far more often than
as first and last name (WNUT-17: most missed people were one word), and in lower case too.

Evidence, any one of:
- a title, role or honorific before it (`President`, `coach`, `Dr`, `uncle`);
- a verb of speech or action after it (`said`, `told`, `scored`, `wrote`, `will`, `has`);
- a possessive after it (`Shaq's`, `Shaq ' s` as tokenized text writes it);
- a full mention of it elsewhere in the same value ("Lisa Murkowski ... Murkowski").

Against: a handle or hashtag (`@name`, `#name`), a stretched word (`Yayyyy`), and the
interjections and forum words of `FORUM_WORDS`.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from pdscan.detectors.names import COMMON_WORDS, NOT_NAMES

_TITLES = (
    "president|vice president|senator|sen|governor|gov|mayor|minister|chancellor|congressman|congresswoman|rep|"
    "judge|justice|sheriff|officer|detective|agent|inspector|commissioner|coach|captain|capt|general|gen|colonel|"
    "sergeant|sgt|lieutenant|lt|admiral|pastor|reverend|rev|father|fr|bishop|rabbi|imam|pope|saint|st|lord|lady|"
    "king|queen|prince|princess|emperor|uncle|aunt|auntie|cousin|grandma|grandpa|grandmother|grandfather|nephew|"
    "niece|brother|sister|mr|mrs|ms|mx|dr|prof|professor|doctor|nurse|teacher|sir|dame|mister|madam|miss|"
    "ceo|founder|director|chef|actor|actress|singer|rapper|player|striker|quarterback|qb|goalkeeper|author|"
    "artist|host|anchor|reporter|manager|boss|coworker|colleague|neighbor|neighbour|friend|dear|hi|hello|hey|thanks"
)
_TITLE_BEFORE = re.compile(rf"(?i)\b(?:{_TITLES})\.?[ \t]+$")
_VERBS = (
    "said|says|say|told|tells|asked|asks|wrote|writes|replied|replies|responded|stated|states|added|explained|"
    "argued|claimed|admitted|insisted|noted|warned|announced|announces|confirmed|denied|tweeted|tweets|posted|posts|"
    "scored|scores|won|wins|lost|loses|beat|beats|played|plays|sang|sings|signed|signs|joined|joins|left|leaves|"
    "knew|knows|thinks|thought|believes|believed|wants|wanted|needs|needed|likes|liked|loves|loved|hates|hated|"
    "looks|looked|seems|seemed|sounds|sounded|went|goes|came|comes|made|makes|got|gets|gave|gives|took|takes|"
    "called|calls|became|becomes|tried|tries|helped|helps|met|meets|married|died|dies|killed|kills|faces|faced|"
    "fails|failed|started|starts|speaks|spoke|sits|sat|stands|stood|talks|talked|sent|sends|did|does|didn't|"
    "doesn't|is|was|isn't|wasn't|has|had|hasn't|will|would|won't|can|could|can't|should|must|might|may"
)
_VERB_AFTER = re.compile(rf"(?i)[ \t]+(?:{_VERBS})\b")
_POSSESSIVE_AFTER = re.compile(r"(?:['’]s| ['’] ?s)\b")
_HANDLE_BEFORE = re.compile(r"[@#][\w.]*$")
_STRETCHED = re.compile(r"([^\W\d_])\1\1", re.IGNORECASE)

# Interjections, chat and forum words: capitalized at the start of a post or a line, never people.
FORUM_WORDS = frozenset(
    """
    lol lmao lmfao rofl omg omfg wtf smh smdh tbh imo imho idk btw fyi ftw irl np ty thx tnx plz pls
    haha hahaha hehe hehehe ahah ah aah ahh oh ooh ohh aw aww awh ugh ughh hmm hmmm meh yay yey woo woot
    wow whoa yeah yea yep yup nope nah yes no ok okay okey hey hi hello yo sup bye goodbye goodnight
    gm gn bruh brah bro dude boo yum yummy oops whoops damn dang shit fuck fml jk xoxo xo mwah muah
    hurray hooray hurrah congrats cheers thanks thank edit update ps pps rt retweet fav via tho
    sorry please welcome amen wait anyway anyways alright aight
    """.split()
)


def is_handle_or_chatter(value: str, start: int, end: int) -> bool:
    """`@name`, `#name`, `Yayyyy`, `Goodnight`: one word that is no person's name in prose."""
    word = value[start:end]
    return (
        bool(_HANDLE_BEFORE.search(value[max(0, start - 40) : start]))
        or bool(_STRETCHED.search(word))
        or word.casefold().strip(".'’") in FORUM_WORDS
    )


def has_evidence(value: str, start: int, end: int) -> bool:
    """Words around the word at [start, end) that say it is a person's name."""
    return (
        bool(_TITLE_BEFORE.search(value[max(0, start - 24) : start]))
        or bool(_VERB_AFTER.match(value, end))
        or bool(_POSSESSIVE_AFTER.match(value, end))
        or mentioned_in_full(value, start, end)
    )


def mentioned_in_full(value: str, start: int, end: int) -> bool:
    """The word is also written beside another capitalized word elsewhere in the value ("Lisa Murkowski")."""
    word = re.escape(value[start:end])
    if len(word) < 2:
        return False
    other = r"[^\W\d_][\w'’\-]+"
    pattern = rf"(?<!\w)(?:(?P<before>{other})[ \t]+{word}|{word}[ \t]+(?P<after>{other}))(?!\w)"
    for m in re.finditer(pattern, value, re.IGNORECASE):
        if start < m.end() and m.start() < end:
            continue
        beside = m.group("before") or m.group("after")
        if beside[0].isupper() and beside.casefold() not in STOP_WORDS and beside.casefold() not in FORUM_WORDS:
            return True
    return False


# Evidence for a word that nothing else proposes (no name list, no NER): stronger than has_evidence,
# whose `is`, `has`, `will` keep NER's guesses but would make "Minecraft is" a person.
_STRONG_TITLES = (
    "president|senator|governor|mayor|minister|chancellor|congressman|congresswoman|judge|sheriff|"
    "detective|inspector|coach|sergeant|lieutenant|pastor|reverend|rabbi|imam|uncle|aunt|auntie|"
    "mr|mrs|ms|mx|dr|prof|professor|mister|madam|producer|director|singer|rapper|actor|actress|author"
)
KIN = (
    "kid|kids|son|daughter|wife|husband|mother|mom|mum|father|dad|brother|sister|cousin|nephew|niece|"
    "grandma|grandpa|grandmother|grandfather|grandson|granddaughter|friend|boyfriend|girlfriend|boss|fiance|fiancee"
)
_STRONG_BEFORE = re.compile(
    rf"(?i)(?:\b(?:{_STRONG_TITLES})\.?|\b(?:my|his|her|our|your|their)[ \t]+(?:{KIN})"
    r"|\b(?:said|told|asked|thanked|married|shouted at|yelled at|said to|spoke to|talked to|replied to))[ \t]+$"
)
_STRONG_VERBS = (
    "said|says|told|tells|asked|asks|wrote|writes|replied|replies|explained|shouted|yelled|screamed|whispered|"
    "tweeted|thanked|lives|lived|married|died"
)
# "coach bielsa", "my wife cath": lower-case words after a title or a relation (the caller checks them)
_LOWER_TITLES = "mr|mrs|ms|dr|prof|coach|president|senator|governor|mayor|uncle|aunt|auntie"
LOWER_AFTER_TITLE = re.compile(
    rf"(?i:\b(?:(?:{_LOWER_TITLES})\.?|(?:my|his|her|our|your|their)[ \t]+(?:{KIN})))[ \t]+"
    r"(?P<first>[^\W\d_A-Z][^\W\d_]*)(?:[ \t]+(?P<second>[^\W\d_A-Z][^\W\d_]*))?"
)
_STRONG_TITLE_WORDS = frozenset(_STRONG_TITLES.split("|"))
# "bielsa said", "at the club, okonkwo told me": a lower-case word beginning the value or a clause,
# then a verb of speech (the caller checks the word)
SPEECH_VERBS = "said|says|told|tells|asked|asks|wrote|writes|replied|replies|explained|shouted|yelled|whispered|tweeted"
LOWER_BEFORE_SPEECH = re.compile(
    rf"(?:^|[.,;:!?][ \t]+)[ \t]*(?P<first>[^\W\d_A-Z][^\W\d_]*)[ \t]+(?i:{SPEECH_VERBS})\b"
)
_VERB_WORDS = frozenset(f"{_VERBS}|{_STRONG_VERBS}".split("|"))


def is_verb(word: str) -> bool:
    """One of the verbs this module reads as evidence: "said" after "president" is no name, though
    Said is one."""
    return word.casefold() in _VERB_WORDS


def is_strong_title(word: str) -> bool:
    return word.casefold().rstrip(".") in _STRONG_TITLE_WORDS


_PRONOUNS = frozenset("whoever whomever whoso somebody someone anybody anyone everybody everyone nobody".split())


def may_be_name_word(word: str) -> bool:
    """Not a stop word, chat word or everyday word that lists of given names also hold."""
    folded = word.casefold()
    return not ({folded} & (STOP_WORDS | FORUM_WORDS | COMMON_WORDS | NOT_NAMES | _PRONOUNS))


_STRONG_AFTER = re.compile(rf"(?i)[ \t]+(?:{_STRONG_VERBS})\b")
_SPEAKER = re.compile(r"[ \t]*:[ \t]*[\"“]")  # `Alice: "Who are you?"`, a line of dialogue


def has_strong_evidence(value: str, start: int, end: int) -> bool:
    """A title or relation before the word, a speech verb before or after it, or a speaker's colon
    and quote at the start of a line: enough for a word no list knows and NER did not mark."""
    if _STRONG_BEFORE.search(value[max(0, start - 24) : start]) or _STRONG_AFTER.match(value, end):
        return True
    return not value[:start].strip() and bool(_SPEAKER.match(value, end))


# Evidence against: what the text says the words are, when it says it.
_KINDS = (
    "film|movie|song|album|novel|book|band|show|series|game|app|company|agency|bank|firm|startup|brand|city|"
    "town|village|country|restaurant|hotel|school|university|website|platform|product|charity|nonprofit|"
    r"organi[sz]ation|501\(c\)\(?3\)?"
)
_IS_A_KIND = re.compile(
    rf"(?i)[ \t]+(?:is|was)[ \t]+(?:an?|the)[ \t]+(?:[\w\-()]+[ \t]+){{0,4}}?(?:{_KINDS})"
    r"(?=[ \t]*(?:$|[.,;:!?)]|(?:based|that|which|who|in|of|from|with|by|directed|founded|for|and|headquartered)\b))"
)
_KIND_BEFORE = re.compile(rf"(?i)\b(?:the[ \t]+)(?:{_KINDS}|ship|river|island|street)[ \t]+$")
_PLACE_VERB_BEFORE = re.compile(
    r"(?i)\b(?:lives?|lived|living|based|located|born|am|moved(?:[ \t]+here)?|trip|flew|works?|worked|working)"
    r"[ \t]+(?:in|from|to|at|near)[ \t]+$"
)
# "Hoge Wei 32", "Eyrarodda 66": a house number that ends there, not "Alonso 222 . 548 MPH"
_HOUSE_NUMBER_AFTER = re.compile(r"[ \t]+\d{1,5}(?=$|[ \t,.]|[a-zA-Z]\b)(?![ \t]*[.,:][ \t]*\d)")
_CITY_STATE_ZIP_AFTER = re.compile(r",[ \t]*[A-Z]{2}[ \t]+\d{4,5}\b")  # "Dusino San Michele, AT 31295"


def is_said_to_be_thing_or_place(value: str, start: int, end: int) -> bool:
    """The text says the words name a work, a firm or a place: "Zoolander is a 2017 Polish ... film",
    "the film Greenlander", "I am in Store Merløse", "Hoge Wei 32", "Archimandrita Pano, PA 73161"."""
    before = value[max(0, start - 40) : start]
    return bool(
        _IS_A_KIND.match(value, end)
        or _KIND_BEFORE.search(before)
        or _PLACE_VERB_BEFORE.search(before)
        or _HOUSE_NUMBER_AFTER.match(value, end)
        or _CITY_STATE_ZIP_AFTER.match(value, end)
    )
