"""Writes sources/p03-interview.docx, the example study's Word transcript (synthetic, written
for this example). Run it again after changing the text: python make_docx.py"""

from __future__ import annotations

from pathlib import Path

from docx import Document

TITLE = "Interview met de cliënt van casus p03"
LINES = [
    "Synthetisch voorbeeld, geschreven voor deze voorbeeldstudie. Interviewer: I. Cliënt: C.",
    "I: Hoe kwam u in contact met het team?",
    "C: Via de huisarts. Ik had al een tijd last van paniekaanvallen en durfde niet meer met de "
    "bus. De huisarts zei dat er in de wijk een team was dat ook thuis kon komen.",
    "I: Wat gebeurde er in het begin?",
    "C: De verpleegkundig specialist kwam langs en heeft veel gevraagd over vroeger. Na een paar "
    "gesprekken kreeg ik een diagnose: autisme. Dat was een opluchting, eindelijk begreep ik "
    "waarom dingen altijd zo moeilijk gingen.",
    "I: Hoe ging het daarna verder?",
    "C: We hebben samen een weekschema gemaakt. Elke dag dezelfde volgorde, dat geeft me rust. "
    "De begeleider oefende met mij het busreizen: eerst één halte, dan twee, uiteindelijk naar "
    "de stad.",
    "I: En als het even niet lukte?",
    "C: Dan deden we een stap terug. Er was nooit haast. Ze zeiden altijd: \u201cwe passen het "
    "plan aan u aan, niet andersom.\u201d",
    "I: Wat is er nu anders dan toen?",
    "C: Ik werk twee dagen per week in een magazijn, via de trajectbegeleider. Ik reis daar "
    "zelf naartoe met de bus. Dat had ik drie jaar geleden nooit gedacht.",
    "I: Zijn er dingen die beter hadden gekund?",
    "C: Het duurde lang voordat de gemeente de begeleiding had geregeld. In die maanden heeft "
    "het team het toch gedaan, zonder indicatie. Daar ben ik ze dankbaar voor.",
    "I: Dank u wel.",
]


def main() -> None:
    document = Document()
    document.core_properties.author = "ol-analysis example"
    document.add_heading(TITLE, level=1)
    for line in LINES:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Duur van het gesprek"
    table.rows[0].cells[1].text = "vijftig minuten"
    target = Path(__file__).resolve().parent / "sources" / "p03-interview.docx"
    document.save(str(target))


if __name__ == "__main__":
    main()
