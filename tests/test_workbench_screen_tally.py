"""A file screened in the workbench says first what it found and links the travellers who
matched another agency's record (seen as a PIU in a fresh-clone pass: 2,000 travellers were
2,000 sections in file order, 4 MB, and the few that mattered were found by scrolling)."""

from __future__ import annotations

import re

from test_workbench import World, signed_in, world  # noqa: F401 (a fixture)

FILE = (
    "record_id,name,birth_date,nationality\n"
    "q1,Abdelkarim Zerouali,1987-04-08,BE\n"
    "q2,Ondrej Pellinor,1960-02-02,CZ\n"
    "q3,,1990,BE\n"
)


def test_a_screened_file_says_what_it_found_and_links_partners_matches(
    world: World,  # noqa: F811
) -> None:
    client, csrf = signed_in(world, "fr")
    answer = client.post(
        "/workbench/screen",
        data={"csrf": csrf, "purpose": "flight XQ123"},
        files={"manifest": ("flight.csv", FILE.encode(), "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    said = re.search(r'<p class="card" role="status">(.*?)</p>', answer.text, re.S)
    assert said, "no summary above the results"
    text = " ".join(re.sub(r"<[^>]+>", "", said.group(1)).split())
    assert text == (
        "2 screened, 1 left out: 1 with a match, 1 of them with another agency's record: "
        "Abdelkarim Zerouali."
    )
    link = re.search(r'<a href="#(q\d+)">', said.group(1))
    assert link and f'<section class="result" id="{link.group(1)}">' in answer.text
    section = answer.text[answer.text.find(f'id="{link.group(1)}"') :]
    assert "Abdelkarim Zerouali" in section[: section.find("</h3>")]


def test_one_person_searched_has_no_file_summary(world: World) -> None:  # noqa: F811
    client, csrf = signed_in(world, "fr")
    page = client.post(
        "/workbench/search",
        data={"csrf": csrf, "purpose": "case 3", "name": "Abdelkarim Zerouali"},
    )
    assert page.status_code == 200
    assert 'role="status"' not in page.text or "screened," not in page.text
