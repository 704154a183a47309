"""JOB_TITLE in prose: a title-shaped phrase next to words such as "title", "position", "role"."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from pdscan.detectors.prefilter import Gate

_LEVEL = r"(?:(?:Senior|Sr\.?|Junior|Jr\.?|Lead|Principal|Chief|Head|Vice|Assistant|Associate|Staff|Deputy|Executive|Regional|General|Managing)\s+)*"
_AREA = r"(?:(?:Software|Network|Systems?|Sales|Account|Billing|Marketing|Product|Project|Program|Operations|Support|IT|Data|Security|Finance|Financial|HR|Human Resources|Customer|Field|Technical|Legal|Compliance|Privacy)\s+)?"
_ROLE = (
    r"(?:Engineer|Manager|Director|Analyst|Officer|President|Administrator|Architect|Consultant|Specialist|"
    r"Coordinator|Developer|Accountant|Technician|Representative|Supervisor|Attorney|Counsel|Nurse|Teacher|"
    r"Clerk|Scientist|Designer|Controller|Auditor|Recruiter|Agent|Executive)"
)


class JobTitleRecognizer(PatternRecognizer):
    ENTITIES = ["JOB_TITLE"]
    PATTERNS = [
        Pattern("job title", rf"\b{_LEVEL}{_AREA}{_ROLE}\b", 0.3),
        Pattern(
            "c-level", r"\b(?:CEO|CFO|CTO|COO|CIO|CISO|CPO|VP of [A-Z][a-z]+|Vice President of [A-Z][a-z]+)\b", 0.3
        ),
    ]
    CONTEXT = [
        "title",
        "position",
        "role",
        "job",
        "occupation",
        "employed",
        "hired",
        "promoted",
        "works",
        "designation",
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="JOB_TITLE", patterns=self.PATTERNS, context=self.CONTEXT, name="JobTitleRecognizer"
        )


RECOGNIZERS = [JobTitleRecognizer]
GATES = (
    Gate(
        "job_title.words",
        r"\b(?:Engineer|Manager|Director|Analyst|Officer|President|Administrator|Architect|Consultant|Specialist|"
        r"Coordinator|Developer|Accountant|Technician|Representative|Supervisor|Attorney|Counsel|Nurse|Teacher|"
        r"Clerk|Scientist|Designer|Controller|Auditor|Recruiter|Agent|Executive|CEO|CFO|CTO|COO|CIO|CISO|CPO|"
        r"VP of|Vice President)\b",
        frozenset({"JOB_TITLE"}),
        needs="U n2",
        context=tuple(JobTitleRecognizer.CONTEXT),
        weak_max=0.3,
    ),
)
