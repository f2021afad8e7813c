"""Screenshots of the sample site for the README, taken with headless Chromium.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default: docs/)

Builds the sample site (site.toml, content/) into a temporary folder, serves it on
127.0.0.1 and saves home.png, article.png, region.png and archive.png at 1280 px wide
(and *-dark.png in dark mode for the home page), plus article-phone.png at 390 px; with
the project's synthetic corpus generator (benchmarks/gen_corpus.py), also
archive-generated.png and year-generated.png of a 300-article archive, and story.png, a
story's page in a 60-article archive with four running stories (``gen_corpus.py --stories``),
and article-corrections.png and corrections.png of a 300-article archive whose newest
articles were given corrections and updates (made up here; never the sample site's report's);
and article-de.png, article-ar.png and article-ja.png, whole pages of one story's German,
Arabic and Japanese translations in a small multilingual archive written here (a made-up
town's news in English, German, Arabic and Japanese; LANGUAGE_ARTICLES).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from static_server import serving  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.engine.build import build, prepare  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GEN_CORPUS = ROOT / "benchmarks" / "gen_corpus.py"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip


def shoot(
    site_dir: Path,
    out_dir: Path,
    shots: dict[str, tuple[str, str, int]],
    out: Path,
    whole: bool = False,
    height: int = 900,
) -> None:
    config = load_config(site_dir, output_dir=out_dir)
    build(config)
    with serving(config.out_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (url, scheme, width) in shots.items():
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
            page.goto(base + url.lstrip("/"))
            page.screenshot(path=str(out / f"{name}.png"), full_page=whole or width < 500)
            page.close()
            print(out / f"{name}.png")
        browser.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site, _, _ = prepare(load_config(ROOT), None, lambda stage, total: lambda: None)
        article = site.articles[0].url
        region = max(site.regions.values(), key=lambda r: (len(r.children), len(r.articles))).url
        shots = {
            "home": ("/", "light", 1280),
            "home-dark": ("/", "dark", 1280),
            "article": (article, "light", 1280),
            "article-phone": (article, "light", 390),
            "region": (region, "light", 1280),
            "archive": ("/archive/", "light", 1280),
        }
        shoot(ROOT, Path(tmp) / "sample", shots, out)
        generated = Path(tmp) / "generated"
        subprocess.run([sys.executable, str(GEN_CORPUS), str(generated / "content"), "300"], check=True)
        (generated / "site.toml").write_text('title = "A Generated Archive"\n', encoding="utf-8")
        shots = {
            "archive-generated": ("/archive/", "light", 1280),
            "year-generated": ("/2023/", "dark", 1280),
        }
        shoot(generated, generated / "output", shots, out)
        shoot_story(Path(tmp) / "stories", out)
        shoot_corrections(Path(tmp) / "corrected", out)
        shoot_languages(Path(tmp) / "languages", out)


def shoot_story(site_dir: Path, out: Path) -> None:
    """story.png: the longest story of a generated archive with running stories, named in
    site.toml after its topic (its articles' first tag) and region."""
    command = [sys.executable, str(GEN_CORPUS), str(site_dir / "content"), "60", "--stories", "4"]
    subprocess.run(command, check=True)
    settings = site_dir / "site.toml"
    settings.write_text('title = "A Generated Archive"\n', encoding="utf-8")
    site, _, _ = prepare(load_config(site_dir), None, lambda stage, total: lambda: None)
    story = max(site.stories.values(), key=lambda story: len(story.articles))
    first = story.thread[0]
    topic, region = site.tags_of(first)[0].name, site.regions_of(first)[0].name
    name = f"{topic.replace('-', ' ').capitalize()} in {region}"
    settings.write_text(
        f'title = "A Generated Archive"\n[stories]\n{story.slug} = "{name}"\n', encoding="utf-8"
    )
    shoot(site_dir, site_dir / "output", {"story": (story.url, "light", 1280)}, out, whole=True)


#: Made up for the generated archive: what a desk puts on the record after publishing.
CORRECTIONS = (
    "An earlier version of this article misstated the number of people displaced.",
    "A quotation was attributed to the interior minister; it was the deputy minister.",
    "An earlier version misspelled the name of the provincial governor.",
    "The vote took place on Tuesday, not on Monday as first reported.",
)
UPDATES = ("Adds comment from the United Nations.", "Updated with the final results.")


def add_corrections(content: Path, count: int = 6) -> None:
    """Corrections a day (and for every other one, three days) after each of the ``count``
    newest generated articles, and an update in between."""
    dated = [(datetime.fromisoformat(path.read_text().split("\ndate: ", 1)[1].split("\n", 1)[0]), path)
             for path in content.rglob("*.md")]  # fmt: skip
    for n, (published, path) in enumerate(sorted(dated, reverse=True)[:count]):
        notes = [(1, "corrections", CORRECTIONS[n % 4]), (2, "updates", UPDATES[n % 2])]
        if n % 2 == 0:
            notes.append((3, "corrections", CORRECTIONS[(n + 1) % 4]))
        lines: dict[str, list[str]] = {"corrections": [], "updates": []}
        for days, key, text in notes:
            when = (published + timedelta(days=days)).isoformat()
            lines[key] += [f"  - date: {when}", f'    text: "{text}"']
        front = "".join(f"{key}:\n" + "\n".join(items) + "\n" for key, items in lines.items())
        path.write_text(path.read_text().replace("\ntags: ", f"\n{front}tags: ", 1))


def shoot_corrections(site_dir: Path, out: Path) -> None:
    """article-corrections.png, the most recently corrected article, and corrections.png."""
    subprocess.run([sys.executable, str(GEN_CORPUS), str(site_dir / "content"), "300"], check=True)
    add_corrections(site_dir / "content")
    (site_dir / "site.toml").write_text('title = "A Generated Archive"\n', encoding="utf-8")
    site, _, _ = prepare(load_config(site_dir), None, lambda stage, total: lambda: None)
    shots = {
        "article-corrections": (site.corrections[0].article.url, "light", 1280),
        "corrections": ("/corrections/", "light", 1280),
    }
    shoot(site_dir, site_dir / "output", shots, out)


#: A multilingual archive made up for article-de.png, article-ar.png and article-ja.png: a
#: town, its people and its news invented for the pictures. English is at the root, German
#: and Arabic in their folders, Japanese in name.ja.md files; translations share a path.
LANGUAGE_SITE = """\
title = "Marrenbach City Archive"
description = "News from the city of Marrenbach, in four languages."
language = "en"
timezone = "Europe/Berlin"

[names]
"germany/marrenbach/altstadt" = "Old Town"

[languages.en]

[languages.de]
title = "Stadtarchiv Marrenbach"
description = "Nachrichten aus der Stadt Marrenbach."

[languages.de.names]
"germany" = "Deutschland"
"germany/marrenbach/altstadt" = "Altstadt"

[languages.ar]
title = "أرشيف مدينة مارنباخ"
description = "أخبار مدينة مارنباخ."

[languages.ar.names]
"germany" = "ألمانيا"
"germany/marrenbach" = "مارنباخ"
"germany/marrenbach/oststadt" = "أوستشتات"
"germany/marrenbach/altstadt" = "البلدة القديمة"

[languages.ja]
title = "マーレンバッハ市アーカイブ"
description = "マーレンバッハ市のニュース。"

[languages.ja.names]
"germany" = "ドイツ"
"germany/marrenbach" = "マーレンバッハ"
"germany/marrenbach/oststadt" = "オストシュタット"
"germany/marrenbach/altstadt" = "旧市街"
"""

LANGUAGE_ARTICLES = {
    "2025/tram-line-4.md": """\
---
title: "Marrenbach opens tram line to its eastern districts"
date: 2025-03-15T14:20:00+01:00
region: germany/marrenbach/oststadt
tags: [trams, transport]
author: Lena Hoffmann
summary: "After four years of construction, Line 4 links the central station with Oststadt and the university campus; the first trams ran on Saturday morning."
---

The first tram of Marrenbach's new Line 4 left the central station at 5:12 on Saturday morning, carrying a handful of early commuters and a good many railway enthusiasts. By noon, the city's transport company said, more than 9,000 passengers had ridden the 7.8-kilometre route to Oststadt and the university campus.

The line, under construction since 2021, is the first addition to the city's tram network in more than forty years. It cost 142 million euros, two thirds of which came from the federal and state governments.

"For many people in Oststadt, the city centre has just moved a quarter of an hour closer," Mayor Katrin Albers said at the opening ceremony on Lindenplatz, where a brass band played as the first low-floor trams pulled in. "This is what a city that keeps its promises looks like."

## Fourteen stops, a tram every seven and a half minutes

Trams run every seven and a half minutes during the day and every quarter of an hour in the evening. Three bus routes that served the eastern districts will be shortened to feed the new stops, a change some residents of the Weidenhof estate criticised at the weekend, saying their walk to the nearest stop would now be longer.

Construction ran eleven months late, mostly because of a burst water main under Bahnhofstraße in 2023 and the discovery of medieval foundations near the old town gate, which archaeologists excavated in the spring of 2024.

The transport company plans to extend the line to the Nordhafen business park by 2029. The city council is to vote on the plans in June.
""",
    "de/2025/tram-line-4.md": """\
---
title: "Marrenbach eröffnet Straßenbahnlinie in die Oststadt"
date: 2025-03-15T14:00:00+01:00
region: germany/marrenbach/oststadt
tags: [Straßenbahn, Verkehr]
author: Lena Hoffmann
summary: "Nach vier Jahren Bauzeit verbindet die Linie 4 den Hauptbahnhof mit der Oststadt und dem Universitätscampus; am Samstagmorgen fuhren die ersten Bahnen."
---

Die erste Bahn der neuen Linie 4 verließ den Marrenbacher Hauptbahnhof am Samstag um 5.12 Uhr – an Bord einige Frühaufsteher auf dem Weg zur Arbeit und nicht wenige Straßenbahnfreunde. Bis zum Mittag zählten die Marrenbacher Verkehrsbetriebe nach eigenen Angaben mehr als 9000 Fahrgäste auf der 7,8 Kilometer langen Strecke in die Oststadt und zum Universitätscampus.

Die seit 2021 gebaute Linie ist die erste Erweiterung des städtischen Straßenbahnnetzes seit mehr als vierzig Jahren. Sie hat 142 Millionen Euro gekostet; zwei Drittel davon tragen Bund und Land.

„Für viele Menschen in der Oststadt ist die Innenstadt heute eine Viertelstunde näher gerückt“, sagte Oberbürgermeisterin Katrin Albers bei der Eröffnungsfeier auf dem Lindenplatz, wo eine Blaskapelle spielte, als die ersten Niederflurbahnen einfuhren. „So sieht eine Stadt aus, die ihre Versprechen hält.“

## Vierzehn Haltestellen im Siebeneinhalb-Minuten-Takt

Tagsüber fahren die Bahnen alle siebeneinhalb Minuten, abends alle Viertelstunde. Drei Buslinien, die bisher die östlichen Stadtteile anfuhren, werden gekürzt und bringen Fahrgäste künftig zu den neuen Haltestellen. Anwohner der Siedlung Weidenhof kritisierten das am Wochenende: Ihr Weg zur nächsten Haltestelle werde nun länger.

Die Bauarbeiten dauerten elf Monate länger als geplant, vor allem wegen eines Wasserrohrbruchs unter der Bahnhofstraße im Jahr 2023 und wegen mittelalterlicher Fundamente am alten Stadttor, die Archäologen im Frühjahr 2024 freilegten.

Bis 2029 wollen die Verkehrsbetriebe die Linie bis zum Gewerbegebiet Nordhafen verlängern. Der Stadtrat soll im Juni darüber abstimmen.
""",
    "ar/2025/tram-line-4.md": """\
---
title: "مارنباخ تفتتح خط ترام جديداً إلى أحيائها الشرقية"
date: 2025-03-15T15:10:00+01:00
region: germany/marrenbach/oststadt
tags: [الترام, النقل]
author: سمير حداد
summary: "بعد أربع سنوات من الأشغال، يربط الخط الرابع المحطة المركزية بحي أوستشتات والحرم الجامعي، وقد انطلقت أولى رحلاته صباح السبت."
---

غادر أول ترام على الخط الرابع الجديد محطة القطارات المركزية في مارنباخ عند الساعة 5:12 من صباح السبت، وعلى متنه عدد من الركاب المتوجهين باكراً إلى أعمالهم، إلى جانب كثير من هواة القطارات. وبحلول الظهر، قالت شركة النقل في المدينة إن أكثر من 9000 راكب استقلّوا الترام على المسار البالغ طوله 7.8 كيلومتر نحو حي أوستشتات والحرم الجامعي.

ويُعدّ الخط، الذي بدأ إنشاؤه عام 2021، أول توسعة لشبكة الترام في المدينة منذ أكثر من أربعين عاماً. وقد بلغت كلفته 142 مليون يورو، موّلت الحكومة الاتحادية وحكومة الولاية ثلثيها.

وقالت رئيسة البلدية كاترين ألبرس خلال حفل الافتتاح في ساحة ليندنبلاتس، حيث عزفت فرقة نحاسية لدى وصول أولى عربات الترام ذات الأرضية المنخفضة: «بالنسبة إلى كثير من سكان أوستشتات، صار وسط المدينة اليوم أقرب بربع ساعة. هكذا تبدو المدينة التي تفي بوعودها».

## أربع عشرة محطة وترام كل سبع دقائق ونصف

تسير عربات الترام كل سبع دقائق ونصف خلال النهار، وكل ربع ساعة في المساء. وسيجري تقصير ثلاثة خطوط حافلات كانت تخدم الأحياء الشرقية لتنقل الركاب إلى المحطات الجديدة، وهو ما انتقده بعض سكان حي فايدنهوف في نهاية الأسبوع، قائلين إن طريقهم إلى أقرب محطة بات أطول.

وتأخرت أعمال البناء أحد عشر شهراً عن الموعد المقرر، ويعود ذلك أساساً إلى انفجار أنبوب مياه رئيسي تحت شارع بانهوف عام 2023، والعثور على أساسات تعود إلى القرون الوسطى قرب بوابة المدينة القديمة، نقّب فيها علماء الآثار في ربيع 2024.

وتعتزم شركة النقل مدّ الخط حتى المنطقة التجارية في نوردهافن بحلول عام 2029، على أن يصوّت مجلس المدينة على الخطط في يونيو/حزيران.
""",
    "2025/tram-line-4.ja.md": """\
---
title: "マーレンバッハ市、路面電車の新線が開業"
date: 2025-03-15T16:30:00+01:00
region: germany/marrenbach/oststadt
tags: [路面電車, 交通]
author: 佐藤美咲
summary: "4年間の工事を経て、4号線が中央駅とオストシュタット地区、大学キャンパスを結んだ。土曜日の早朝に始発電車が出発した。"
---

マーレンバッハ市の路面電車の新路線「4号線」の始発電車が、土曜日の午前5時12分に中央駅を出発した。車内には早朝に出勤する乗客のほか、多くの鉄道ファンの姿もあった。市の交通局によると、正午までに、オストシュタット地区と大学キャンパスを結ぶ全長7.8キロの区間を9000人以上が利用した。

2021年に着工した同線は、市の路面電車網にとって40年あまりぶりの延伸となる。総事業費は1億4200万ユーロで、その3分の2を連邦政府と州が負担した。

リンデン広場で開かれた開業式典では、吹奏楽団の演奏が響く中、最初の低床車両が到着した。カトリン・アルバース市長は「オストシュタットに住む多くの人にとって、市の中心部が今日から15分近くなった。約束を守る街とはこういうものだ」と述べた。

## 停留所は14か所、日中は7分半間隔

日中は7分半間隔、夜間は15分間隔で運行する。これまで東部地区を走っていたバス3路線は短縮され、新しい停留所に接続する路線となる。ヴァイデンホーフ団地の一部の住民は週末、最寄りの停留所までの道のりが長くなるとして、この変更を批判した。

工事は予定より11か月遅れた。主な原因は、2023年にバーンホフ通りの地下で起きた水道本管の破裂と、旧市門の近くで見つかった中世の建物の基礎で、考古学者らが2024年春に発掘調査を行った。

交通局は2029年までに同線をノルトハーフェン産業団地まで延伸する計画で、市議会が6月に採決する予定だ。
""",
    "2025/cycle-lanes.md": """\
---
title: "City council approves protected cycle lanes on the Ring"
date: 2025-03-20T21:45:00+01:00
region: germany/marrenbach
tags: [cycling, transport, city council]
author: Lena Hoffmann
summary: "Lanes separated from traffic by kerbs are to run along the whole 5.4-kilometre inner ring road by 2027."
---

Marrenbach's city council voted 31 to 22 on Thursday evening to build protected cycle lanes along the whole of the inner ring road, one of the busiest streets in the city. Low kerbs will separate the lanes from car traffic, which will lose one of its two lanes in each direction on most of the route.

"Half of all journeys in this city are shorter than five kilometres," said councillor Jonas Brandt, who chairs the transport committee. "We want people to be able to make them by bike without risking their lives."

The chamber of commerce warned that deliveries to shops on the Ring would become harder and asked for loading bays on every block. Work is to begin next spring and cost about 11 million euros.
""",
    "de/2025/cycle-lanes.md": """\
---
title: "Stadtrat beschließt geschützte Radwege am Ring"
date: 2025-03-20T21:30:00+01:00
region: germany/marrenbach
tags: [Radverkehr, Verkehr, Stadtrat]
author: Lena Hoffmann
summary: "Durch Bordsteine vom Autoverkehr getrennte Radwege sollen bis 2027 auf dem gesamten, 5,4 Kilometer langen Innenstadtring entstehen."
---

Der Marrenbacher Stadtrat hat am Donnerstagabend mit 31 zu 22 Stimmen beschlossen, entlang des gesamten Innenstadtrings geschützte Radwege zu bauen. Der Ring gehört zu den verkehrsreichsten Straßen der Stadt. Niedrige Bordsteine sollen die Radwege vom Autoverkehr trennen; auf den meisten Abschnitten fällt dafür je Richtung eine der beiden Fahrspuren weg.

„Die Hälfte aller Wege in dieser Stadt ist kürzer als fünf Kilometer“, sagte Stadtrat Jonas Brandt, der den Verkehrsausschuss leitet. „Wir wollen, dass man sie mit dem Rad zurücklegen kann, ohne sein Leben zu riskieren.“

Die Industrie- und Handelskammer warnte, die Belieferung der Geschäfte am Ring werde schwieriger, und forderte Ladezonen in jedem Block. Die Arbeiten sollen im kommenden Frühjahr beginnen und rund 11 Millionen Euro kosten.
""",
    "2025/cycle-lanes.ja.md": """\
---
title: "市議会、環状道路に自転車専用レーンの整備を可決"
date: 2025-03-21T08:00:00+01:00
region: germany/marrenbach
tags: [自転車, 交通, 市議会]
author: 佐藤美咲
summary: "縁石で車道と分けた自転車レーンを、2027年までに全長5.4キロの内環状道路の全区間に整備する。"
---

マーレンバッハ市議会は木曜日の夜、市内で最も交通量の多い道路の一つである内環状道路の全区間に、車道から分離した自転車レーンを整備する案を賛成31、反対22で可決した。レーンは低い縁石で車道と分けられ、大半の区間で片側2車線のうち1車線が自転車用に転換される。

交通委員会のヨナス・ブラント委員長は「この街の移動の半分は5キロ未満だ。命の危険を冒さずに自転車で移動できるようにしたい」と話した。

商工会議所は、環状道路沿いの商店への配送が難しくなると懸念を示し、各ブロックに荷さばきスペースを設けるよう求めた。工事は来年春に始まり、費用は約1100万ユーロを見込む。
""",
    "2025/bridge-repairs.md": """\
---
title: "Marren Bridge to close to traffic for six months of repairs"
date: 2025-03-03T12:15:00+01:00
region: germany/marrenbach/altstadt
tags: [bridges, transport]
author: Jonas Weber
summary: "Engineers found corroded steel in the 1911 bridge between the old town and the station district; pedestrians and cyclists may still cross."
---

The Marren Bridge, which has carried traffic across the river between the old town and the station district since 1911, will be closed to cars and buses from 7 April for at least six months, the city's building department announced on Monday.

An inspection in January found corrosion in several of the steel girders beneath the roadway. "The bridge is in no danger of collapse, but it can no longer carry heavy vehicles safely," said the head of the department, Petra Sommer. Pedestrians and cyclists will cross on a temporary walkway along its eastern side.

Buses on routes 12 and 15 will be diverted over the Harbour Bridge, adding about ten minutes to the journey.
""",
    "de/2025/bridge-repairs.md": """\
---
title: "Marrenbrücke wird für sechs Monate gesperrt"
date: 2025-03-03T12:00:00+01:00
region: germany/marrenbach/altstadt
tags: [Brücken, Verkehr]
author: Jonas Weber
summary: "Gutachter haben an der Brücke von 1911 zwischen Altstadt und Bahnhofsviertel Rost an den Stahlträgern gefunden; zu Fuß und mit dem Rad bleibt sie passierbar."
---

Die Marrenbrücke, über die seit 1911 der Verkehr zwischen Altstadt und Bahnhofsviertel rollt, wird vom 7. April an für mindestens sechs Monate für Autos und Busse gesperrt. Das teilte das städtische Bauamt am Montag mit.

Bei einer Prüfung im Januar war an mehreren Stahlträgern unter der Fahrbahn Rost festgestellt worden. „Die Brücke ist nicht einsturzgefährdet, aber sie kann schwere Fahrzeuge nicht mehr sicher tragen“, sagte Bauamtsleiterin Petra Sommer. Fußgänger und Radfahrer können die Marre auf einem provisorischen Steg an der Ostseite überqueren.

Die Buslinien 12 und 15 werden über die Hafenbrücke umgeleitet; die Fahrt dauert dadurch etwa zehn Minuten länger.
""",
    "ar/2025/bridge-repairs.md": """\
---
title: "إغلاق جسر مارن أمام السيارات ستة أشهر لإجراء إصلاحات"
date: 2025-03-03T13:40:00+01:00
region: germany/marrenbach/altstadt
tags: [الجسور, النقل]
author: سمير حداد
summary: "عثر مهندسون على صدأ في العوارض الفولاذية للجسر الذي بُني عام 1911 بين البلدة القديمة وحي المحطة، ويبقى العبور متاحاً للمشاة وراكبي الدراجات."
---

أعلنت إدارة البناء في بلدية مارنباخ يوم الاثنين أن جسر مارن، الذي يربط البلدة القديمة بحي المحطة منذ عام 1911، سيُغلق أمام السيارات والحافلات اعتباراً من 7 أبريل/نيسان لمدة ستة أشهر على الأقل.

وكشف فحص أُجري في يناير/كانون الثاني عن تآكل في عدد من العوارض الفولاذية تحت سطح الجسر. وقالت مديرة الإدارة بترا زومر: «الجسر ليس معرّضاً لخطر الانهيار، لكنه لم يعد قادراً على تحمّل المركبات الثقيلة بأمان». وسيتمكن المشاة وراكبو الدراجات من العبور على ممر مؤقت على جانبه الشرقي.

وسيجري تحويل مسار الحافلتين 12 و15 عبر جسر الميناء، ما يضيف نحو عشر دقائق إلى مدة الرحلة.
""",
    "2025/library-sundays.md": """\
---
title: "Central library to open on Sundays from April"
date: 2025-03-08T10:00:00+01:00
region: germany/marrenbach/altstadt
tags: [libraries, culture]
author: Jonas Weber
summary: "A two-year trial will keep the reading rooms and the children's library open from 11 am to 5 pm."
---

Marrenbach's central library will open on Sundays from 6 April, in a two-year trial paid for by the state's programme for public libraries. The reading rooms, the children's library and the café will be open from 11 am to 5 pm, and books can be borrowed at the self-service machines.

"Sunday is the one day many families have time to come together," said the library's director, Miriam Okafor. The library will count its visitors and report to the council after the first year.
""",
    "de/2025/markthalle.md": """\
---
title: "Hundert Jahre Markthalle: Fest am Kornmarkt"
date: 2025-03-07T09:30:00+01:00
region: germany/marrenbach/altstadt
tags: [Stadtgeschichte, Kultur]
author: Jonas Weber
summary: "Die Markthalle am Kornmarkt feiert ihr hundertjähriges Bestehen mit Führungen, Musik und einer Ausstellung alter Fotografien."
---

Seit einhundert Jahren kaufen die Marrenbacher in der Markthalle am Kornmarkt Gemüse, Käse und Fisch. Zum Jubiläum laden die 38 Händlerinnen und Händler am Samstag und Sonntag zu einem Fest mit Führungen durch den Dachstuhl, Musik und Verkostungen ein.

Im Foyer zeigt das Stadtarchiv bis Ende April Fotografien aus der Geschichte der Halle, darunter Aufnahmen vom Wiederaufbau nach dem Krieg. „Die Halle war immer mehr als ein Markt – sie war der Ort, an dem man sich traf“, sagte Marktmeisterin Ursula Kern.
""",
    "ar/2025/german-courses.md": """\
---
title: "دورات مجانية في اللغة الألمانية للقادمين الجدد في أوستشتات"
date: 2025-03-24T11:00:00+01:00
region: germany/marrenbach/oststadt
tags: [التعليم, المجتمع]
author: سمير حداد
summary: "يقدّم المركز الاجتماعي في حي أوستشتات ابتداءً من أبريل/نيسان دورات مسائية مجانية، مع رعاية للأطفال أثناء الدروس."
---

يبدأ المركز الاجتماعي في حي أوستشتات الشهر المقبل تقديم دورات مجانية في اللغة الألمانية للقادمين الجدد إلى مارنباخ، بواقع ثلاث أمسيات في الأسبوع، فيما تتولى متطوعات من الحي رعاية الأطفال خلال الدروس.

وقالت منسقة الدورات ريم منصور: «كثير من الأمهات لم يستطعن حضور الدورات الصباحية بسبب الأطفال، ولهذا اخترنا المساء». ويمكن التسجيل في المركز أو عبر الهاتف حتى نهاية مارس/آذار، ويمكن الوصول إلى المركز بالخط الرابع للترام الذي افتُتح هذا الشهر.
""",
    "2025/japanese-garden.ja.md": """\
---
title: "市立公園の日本庭園、改修を終えて公開再開へ"
date: 2025-03-10T09:00:00+01:00
region: germany/marrenbach
tags: [公園, 文化]
author: 佐藤美咲
summary: "姉妹都市交流の一環として1988年に造られた庭園が、2年間の改修を経て3月15日から再び公開される。"
---

マーレンバッハ市立公園内の日本庭園が2年間の改修工事を終え、3月15日から再び一般公開される。庭園は1988年、日本の姉妹都市との交流の一環として造られ、池や石灯籠、茶室を備えている。

改修では池の防水工事を行ったほか、老朽化した木橋を架け替え、車いすで通れる園路を整備した。庭園を管理する市公園課のトーマス・ヴェーバー氏は「春には桜が見頃を迎える。多くの市民に足を運んでほしい」と話した。
""",
}

#: The story's translations shot, by language: article-de.png and so on.
LANGUAGE_SHOTS = {
    "de": "de/2025/tram-line-4.md",
    "ar": "ar/2025/tram-line-4.md",
    "ja": "2025/tram-line-4.ja.md",
}


def shoot_languages(site_dir: Path, out: Path) -> None:
    """article-de.png, article-ar.png and article-ja.png: a story's German, Arabic and Japanese
    pages in the made-up multilingual archive above, with their switcher and "Read in:" line."""
    files = {
        "site.toml": LANGUAGE_SITE,
        **{f"content/{path}": text for path, text in LANGUAGE_ARTICLES.items()},
    }
    for name, text in files.items():
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_text(text, encoding="utf-8")
    site, _, _ = prepare(load_config(site_dir), None, lambda stage, total: lambda: None)
    url_of = {
        Path(article.source).relative_to(site_dir / "content").as_posix(): article.url
        for article in site.articles
    }
    shots = {f"article-{code}": (url_of[path], "light", 1280) for code, path in LANGUAGE_SHOTS.items()}
    shoot(site_dir, site_dir / "output", shots, out, whole=True, height=1100)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
