"""Pictures as a newsroom needs them: lead images on the article and its cards, figures with
captions and credits, width and height read from the file, lazy loading, narrower copies for
srcset made once and owned by the build, and a warning for every picture without alt text."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from support.clock import NOW
from support.site import article, build_site, files_of, page, write_site

from generator.config import load_config
from generator.engine import build
from generator.engine.output import MARKER
from generator.engine.pictures import COPIES_FOLDER

ENGINES = ["commonmark", "python-markdown"]
ARTICLE = "/2024/08/31/floods/"


def picture(width: int, height: int, kind: str = "JPEG", colour: tuple[int, int, int] = (180, 40, 40), **options) -> bytes:  # fmt: skip
    """A real picture file of one colour."""
    data = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(data, kind, **options)
    return data.getvalue()


def site_with(root: Path, body: str, engine: str = "commonmark", **front: str) -> Path:
    """One article, ``floods``, with ``body`` and front matter ``front``, and the pictures
    static/images/wide.jpg (2000x1000), narrow.png (300x200) and mid.jpg (1000x600)."""
    return write_site(
        root,
        {
            "site.toml": f'title = "Wire"\nmarkdown = "{engine}"\n',
            "content/2024/floods.md": article(
                "Floods", "2024-08-31", body, slug="floods", tags="[floods]", **front
            ),
            "static/images/wide.jpg": picture(2000, 1000),
            "static/images/narrow.png": picture(300, 200, "PNG"),
            "static/images/mid.jpg": picture(1000, 600),
        },
    )


def body_images(site: Path) -> list:
    return page(site, ARTICLE).xpath("//div[@class='article-body']//img")


def copies_in_cache(site: Path) -> dict[str, int]:
    """The narrower copies the cache holds, with their mtimes."""
    folder = site / ".dateline-cache" / COPIES_FOLDER
    return {p.name: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def cold_build_equals(site: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    build.build(load_config(site, output_dir=cold), now=NOW, jobs=1, use_cache=False)
    built, expected = files_of(site / "output"), files_of(cold)
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []


# -- width, height and lazy loading -------------------------------------------------------------


def test_a_body_picture_gets_the_width_and_height_of_its_file(tmp_path: Path):
    build_site(site_with(tmp_path, "![Cranes in water](/images/mid.jpg)\n"))
    [image] = body_images(tmp_path)
    assert (image.get("width"), image.get("height")) == ("1000", "600")


def test_a_picture_of_a_page_bundle_is_measured_from_the_bundle(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/2024/raid/index.md": article("Raid", body="![The compound](compound.png)\n"),
            "content/2024/raid/compound.png": picture(640, 480, "PNG"),
        },
    )
    build_site(tmp_path)
    image = page(tmp_path, "/2024/08/31/raid/").xpath("//article//img")[0]
    assert (image.get("src"), image.get("width"), image.get("height")) == ("compound.png", "640", "480")


def test_a_picture_on_another_host_has_no_dimensions_but_loads_lazily(tmp_path: Path):
    build_site(site_with(tmp_path, "![A map](https://cdn.example.com/map.jpg)\n"))
    [image] = body_images(tmp_path)
    assert image.get("width") is None
    assert (image.get("loading"), image.get("decoding")) == ("lazy", "async")


def test_a_photo_turned_by_its_exif_orientation_has_the_width_and_height_it_is_shown_with(tmp_path: Path):
    turned = Image.Exif()
    turned[0x0112] = 6  # shown a quarter turn clockwise: what was 1600 wide is 1600 tall
    site_with(tmp_path, "![Taken upright](/images/upright.jpg)\n")
    write_site(tmp_path, {"static/images/upright.jpg": picture(1600, 900, exif=turned)})
    build_site(tmp_path)
    [image] = body_images(tmp_path)
    assert (image.get("width"), image.get("height")) == ("900", "1600")
    with Image.open(tmp_path / "output" / image.get("srcset").split()[0].lstrip("/")) as copy:
        assert copy.size == (480, 853)  # upright, as the browser shows the original


def test_every_body_picture_loads_lazily_but_the_lead_image_does_not(tmp_path: Path):
    site_with(tmp_path, "![One](/images/mid.jpg)\n\nText ![two](/images/narrow.png) inline.\n", image="/images/wide.jpg", image_alt="Flooded quay")  # fmt: skip
    build_site(tmp_path)
    assert [(i.get("loading"), i.get("decoding")) for i in body_images(tmp_path)] == [("lazy", "async")] * 2
    [lead] = page(tmp_path, ARTICLE).xpath("//figure[@class='lead-image']/img")
    assert lead.get("loading") is None


def test_an_unreadable_picture_is_a_warning_at_its_file_and_shown_without_dimensions(tmp_path: Path):
    site_with(tmp_path, "![Broken](/images/broken.jpg)\n")
    write_site(tmp_path, {"static/images/broken.jpg": b"not a JPEG at all"})
    report = build_site(tmp_path)
    assert [str(w).replace(str(tmp_path), "") for w in report.warnings] == [
        "/static/images/broken.jpg:1: not a picture Pillow can read; shown without its width and height"
    ]
    assert body_images(tmp_path)[0].get("width") is None


# -- figures ---------------------------------------------------------------------------------------

CAPTIONED = {
    "on the next line": "![Cranes in water](/images/mid.jpg)\n*Cranes stand idle. Photo: Jane Doe/Wire*\n",
    "in the next paragraph": "![Cranes in water](/images/mid.jpg)\n\n*Cranes stand idle. Photo: Jane Doe/Wire*\n",
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("written", CAPTIONED.values(), ids=list(CAPTIONED))
def test_a_picture_alone_with_an_emphasised_line_under_it_is_a_figure_with_caption_and_credit(
    tmp_path: Path, engine: str, written: str
):
    build_site(site_with(tmp_path, f"The port closed.\n\n{written}\nMore text.\n", engine))
    [figure] = page(tmp_path, ARTICLE).xpath("//div[@class='article-body']/figure")
    assert figure.xpath("img/@alt") == ["Cranes in water"]
    assert figure.xpath("string(figcaption)") == "Cranes stand idle. Photo: Jane Doe/Wire"
    assert figure.xpath("string(figcaption/span[@class='credit'])") == "Photo: Jane Doe/Wire"
    assert not figure.xpath(".//em")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_caption_without_a_credit_is_all_caption(tmp_path: Path, engine: str):
    build_site(site_with(tmp_path, "![Cranes](/images/mid.jpg)\n\n*Cranes stand idle.*\n", engine))
    [caption] = page(tmp_path, ARTICLE).xpath("//figure/figcaption")
    assert (caption.text_content(), caption.xpath("span")) == ("Cranes stand idle.", [])


@pytest.mark.parametrize("engine", ENGINES)
def test_a_picture_sharing_its_paragraph_with_text_stays_in_it(tmp_path: Path, engine: str):
    build_site(site_with(tmp_path, "Before ![Cranes](/images/mid.jpg) after.\n\n*Not a caption.*\n", engine))
    tree = page(tmp_path, ARTICLE)
    assert tree.xpath("//div[@class='article-body']/p/img/@alt") == ["Cranes"]
    assert not tree.xpath("//figure") and tree.xpath("//div[@class='article-body']/p/em")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_paragraph_only_partly_emphasised_is_no_caption(tmp_path: Path, engine: str):
    build_site(site_with(tmp_path, "![Cranes](/images/mid.jpg)\n\n*Cranes* stand idle.\n", engine))
    tree = page(tmp_path, ARTICLE)
    assert tree.xpath("//figure/img/@alt") == ["Cranes"] and not tree.xpath("//figcaption")
    assert tree.xpath("string(//div[@class='article-body']/p)") == "Cranes stand idle."


# -- the lead image --------------------------------------------------------------------------------

LEAD = {
    "image": "/images/wide.jpg",
    "image_alt": "Water over the quay at dawn",
    "image_caption": "The quay on Friday morning.",
    "image_credit": "Jane Doe/Wire",
}


def test_the_lead_image_is_a_figure_above_the_story_with_caption_and_credit(tmp_path: Path):
    build_site(site_with(tmp_path, "The port closed.\n", **LEAD))
    [figure] = page(tmp_path, ARTICLE).xpath("//article/figure[@class='lead-image']")
    [image] = figure.xpath("img")
    assert (image.get("src"), image.get("alt")) == ("/images/wide.jpg", "Water over the quay at dawn")
    assert (image.get("width"), image.get("height")) == ("2000", "1000")
    assert figure.xpath("string(figcaption)") == "The quay on Friday morning. Jane Doe/Wire"
    assert figure.xpath("string(figcaption/span[@class='credit'])") == "Jane Doe/Wire"
    assert figure.getnext().get("class") == "article-body"


def test_the_lead_image_is_a_thumbnail_on_the_articles_cards(tmp_path: Path):
    build_site(site_with(tmp_path, "The port closed.\n", **LEAD))
    for listing in ("/", "/tags/floods/"):
        [thumbnail] = page(tmp_path, listing).xpath("//li[@class='listing-item']//img[@class='thumbnail']")
        assert (thumbnail.get("width"), thumbnail.get("height")) == ("2000", "1000")
        assert (thumbnail.get("loading"), thumbnail.get("sizes")) == ("lazy", "7rem")
        assert "480w" in thumbnail.get("srcset")


def test_a_lead_image_of_a_page_bundle_is_found_beside_the_article(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/2024/raid/index.md": article("Raid", image="compound.png", image_alt="The compound"),
            "content/2024/raid/compound.png": picture(640, 480, "PNG"),
        },
    )
    build_site(tmp_path)
    tree = page(tmp_path, "/2024/08/31/raid/")
    assert tree.xpath("//figure[@class='lead-image']/img/@width") == ["640"]
    assert tree.xpath("//meta[@property='og:image']/@content") == [
        "http://localhost:8000/2024/08/31/raid/compound.png"
    ]
    assert tree.xpath("//meta[@property='og:image:alt']/@content") == ["The compound"]


# -- narrower copies -------------------------------------------------------------------------------


def test_a_wide_picture_gets_narrower_copies_as_its_srcset(tmp_path: Path):
    build_site(site_with(tmp_path, "![Wide](/images/wide.jpg)\n"))
    [image] = body_images(tmp_path)
    candidates = [candidate.split() for candidate in image.get("srcset").split(", ")]
    assert [width for _, width in candidates] == ["480w", "960w", "1440w", "2000w"]
    assert candidates[-1][0] == "/images/wide.jpg"
    for url, width in candidates[:-1]:
        with Image.open(tmp_path / "output" / url.lstrip("/")) as copy:
            assert copy.size == (int(width[:-1]), int(width[:-1]) // 2) and copy.format == "JPEG"
    assert image.get("sizes")


def test_copies_are_never_wider_than_the_picture(tmp_path: Path):
    build_site(site_with(tmp_path, "![Mid](/images/mid.jpg)\n\n![Narrow](/images/narrow.png)\n"))
    mid, narrow = body_images(tmp_path)
    assert [candidate.split()[1] for candidate in mid.get("srcset").split(", ")] == ["480w", "960w", "1000w"]
    assert narrow.get("srcset") is None


def test_copies_are_files_the_build_owns(tmp_path: Path):
    build_site(site_with(tmp_path, "![Wide](/images/wide.jpg)\n"))
    owned = (tmp_path / "output" / MARKER).read_text().splitlines()
    copies = [line for line in owned if line.startswith("static/_sized/")]
    assert len(copies) == 3 and all((tmp_path / "output" / copy).is_file() for copy in copies)


def test_a_second_build_reuses_the_copies_instead_of_resizing_again(tmp_path: Path):
    site_with(tmp_path, "![Wide](/images/wide.jpg)\n")
    build_site(tmp_path)
    made = copies_in_cache(tmp_path)
    write_site(tmp_path, {"content/2024/floods.md": article("Floods", body="![Wide](/images/wide.jpg)\n\nEdited.\n", slug="floods")})  # fmt: skip
    report = build_site(tmp_path)
    assert report.written > 0  # a build that did its work, not one that found nothing changed
    assert len(made) == 3 and copies_in_cache(tmp_path) == made


def test_copies_leave_the_output_and_the_cache_with_their_picture(tmp_path: Path):
    site_with(tmp_path, "![Wide](/images/wide.jpg)\n")
    build_site(tmp_path)
    (tmp_path / "static/images/wide.jpg").unlink()
    report = build_site(tmp_path)
    assert report.removed == 4  # the picture and its three copies
    assert not (tmp_path / "output/static/_sized").exists()
    assert "_sized" not in (tmp_path / "output" / MARKER).read_text()
    assert copies_in_cache(tmp_path) == {}
    assert body_images(tmp_path)[0].get("width") is None
    cold_build_equals(tmp_path, tmp_path / "cold")


def test_the_pictures_of_a_draft_are_not_published_as_copies(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/2024/raid/index.md": article("Raid", draft="true", image="raid.jpg", image_alt="A raid"),
            "content/2024/raid/raid.jpg": picture(1000, 800),
        },
    )
    build_site(tmp_path)
    assert not (tmp_path / "output/static/_sized").exists()


def test_under_a_base_path_the_srcset_links_have_it(tmp_path: Path):
    site_with(tmp_path, "![Mid](/images/mid.jpg)\n")
    write_site(tmp_path, {"site.toml": 'title = "Wire"\nbase_url = "https://example.org/archive/"\n'})
    build_site(tmp_path)
    [image] = body_images(tmp_path)
    urls = [candidate.split()[0] for candidate in image.get("srcset").split(", ")]
    assert urls[-1] == "/archive/images/mid.jpg"
    assert all(url.startswith("/archive/static/_sized/mid-") for url in urls[:-1])


def test_a_replaced_picture_gives_the_pages_that_show_it_what_a_cold_build_gives(tmp_path: Path):
    site_with(tmp_path, "![Wide](/images/wide.jpg)\n", **LEAD)
    build.build(load_config(tmp_path), now=NOW, jobs=1)
    write_site(tmp_path, {"static/images/wide.jpg": picture(1200, 900, colour=(20, 20, 160))})
    build.build(load_config(tmp_path), now=NOW, jobs=1)
    [thumbnail] = page(tmp_path, "/").xpath("//img[@class='thumbnail']")
    assert (thumbnail.get("width"), thumbnail.get("height")) == ("1200", "900")
    cold_build_equals(tmp_path, tmp_path / "cold")


def test_a_same_size_picture_replaced_in_the_same_clock_tick_is_noticed(tmp_path: Path):
    site_with(tmp_path, "![Chart](/images/chart.bmp)\n")
    path = tmp_path / "static/images/chart.bmp"
    write_site(tmp_path, {"static/images/chart.bmp": picture(200, 100, "BMP")})
    build.build(load_config(tmp_path), now=NOW, jobs=1)
    stat = path.stat()
    write_site(tmp_path, {"static/images/chart.bmp": picture(100, 200, "BMP")})  # uncompressed: as many bytes
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    build.build(load_config(tmp_path), now=NOW, jobs=1)
    assert (body_images(tmp_path)[0].get("width"), body_images(tmp_path)[0].get("height")) == ("100", "200")
    cold_build_equals(tmp_path, tmp_path / "cold")


def test_a_feed_carries_the_srcset_as_absolute_urls(tmp_path: Path):
    build_site(site_with(tmp_path, "![Wide](/images/wide.jpg)\n"))
    feed = (tmp_path / "output/feed.xml").read_text()
    assert "http://localhost:8000/static/_sized/" in feed and ' srcset="/static' not in feed


# -- alt text --------------------------------------------------------------------------------------


def warnings_of(site: Path) -> list[str]:
    return [str(w).replace(f"{site}/", "") for w in build_site(site).warnings]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_body_picture_without_alt_text_is_a_warning_at_its_line(tmp_path: Path, engine: str):
    site_with(
        tmp_path, "The port closed.\n\n![](/images/mid.jpg)\n\n![Described](/images/wide.jpg)\n", engine
    )
    assert warnings_of(tmp_path) == [
        "content/2024/floods.md:10: image 'mid.jpg' has no alt text: describe what it shows for readers "
        "who cannot see it (![what it shows](mid.jpg))"
    ]


def test_a_lead_image_without_image_alt_is_a_warning_at_the_image_line(tmp_path: Path):
    site_with(tmp_path, "Text.\n", image="/images/wide.jpg")
    assert warnings_of(tmp_path) == [
        "content/2024/floods.md:6: the lead image has no 'image_alt': describe what it shows for readers "
        "who cannot see it"
    ]


def test_a_misspelt_lead_image_key_is_suggested(tmp_path: Path):
    site_with(tmp_path, "Text.\n", image="/images/wide.jpg", image_alt="Quay", image_credits="Wire")
    assert warnings_of(tmp_path) == [
        "content/2024/floods.md:8: unknown key 'image_credits' is kept for templates; did you mean 'image_credit'?"
    ]
