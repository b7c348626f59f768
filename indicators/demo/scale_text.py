"""The Thai text a scale run is made of: unit names and evidence prefixes of a Thai open
university, indicator titles, people's names, return reasons, and the seed SAR page's
criteria, narratives and captions retold for any unit and indicator. ``scale`` fills the
database with them."""

import random
import re
from collections.abc import Iterator

from indicators.models import Unit

from . import UNIT_NAME, UNIT_PREFIX, load_demo

# Units of a Thai open university, with the evidence prefixes their SARs use.
UNITS = [
    ("สาขาวิชาศิลปศาสตร์", "ศศ"), ("สาขาวิชาศึกษาศาสตร์", "ศษ"),
    ("สาขาวิชาวิทยาการจัดการ", "วจ"), ("สาขาวิชานิติศาสตร์", "นศ"),
    ("สาขาวิชาเศรษฐศาสตร์", "ศฐ"), ("สาขาวิชารัฐศาสตร์", "รศ"),
    ("สาขาวิชาวิทยาศาสตร์สุขภาพ", "วส"), ("สาขาวิชาเกษตรศาสตร์และสหกรณ์", "กษ"),
    ("สาขาวิชามนุษยนิเวศศาสตร์", "มน"), ("สาขาวิชานิเทศศาสตร์", "นท"),
    ("สาขาวิชาวิทยาศาสตร์และเทคโนโลยี", "วท"), ("สาขาวิชาพยาบาลศาสตร์", "พย"),
    ("สาขาวิชาสาธารณสุขศาสตร์", "สธ"), ("สำนักบรรณสารสนเทศ", "สบ"),
    ("สำนักเทคโนโลยีการศึกษา", "สทศ"), ("สำนักทะเบียนและวัดผล", "สทว"),
    ("สำนักคอมพิวเตอร์", "สค"), ("สำนักบริการการศึกษา", "สบศ"),
    ("สำนักวิชาการ", "สว"), ("สำนักงานอธิการบดี", "สอ"),
    ("สถาบันวิจัยและพัฒนา", "สวพ"), ("สถาบันการศึกษาและพัฒนาต่อเนื่อง", "สศต"),
    ("บัณฑิตวิทยาลัย", "บว"), ("กองกลาง", "กก"), ("กองคลัง", "กค"),
    ("กองแผนงาน", "กผ"), ("กองการเจ้าหน้าที่", "กจ"), ("กองพัสดุ", "กพ"),
    ("กองอาคารสถานที่", "กอ"), ("กองประชาสัมพันธ์", "กปส"),
    ("กองบริการการศึกษา", "กบศ"), ("กองกิจการนักศึกษา", "กกน"),
    ("หน่วยตรวจสอบภายใน", "ตสน"), ("ศูนย์สัมมนาและฝึกอบรม", "ศสอ"),
    ("ศูนย์วิทยบริการ", "ศวบ"), ("ศูนย์โสตทัศนศึกษา", "ศสท"),
    ("ศูนย์บริการเทคโนโลยีสารสนเทศ", "ศทส"), ("สำนักงานสภามหาวิทยาลัย", "สสม"),
    ("สำนักงานกฎหมาย", "สกม"), ("สำนักงานประกันคุณภาพ", "สปค"),
]  # fmt: skip
INDICATOR_TITLES = [
    "การพัฒนาหน่วยงานสู่องค์การการเรียนรู้",
    "ระบบและกลไกการบริหารหน่วยงาน",
    "การบริหารความเสี่ยง",
    "การพัฒนาบุคลากร",
    "ระบบการประกันคุณภาพ",
    "การบริหารงบประมาณอย่างมีประสิทธิภาพ",
    "การให้บริการที่มีคุณภาพ",
    "การใช้เทคโนโลยีสารสนเทศในการบริหารงาน",
    "การดำเนินงานตามแผนปฏิบัติการประจำปี",
    "การส่งเสริมการวิจัยและนวัตกรรม",
    "การบริการวิชาการแก่สังคม",
    "การทำนุบำรุงศิลปะและวัฒนธรรม",
    "การบริหารจัดการสิ่งแวดล้อมและพลังงาน",
    "ความผูกพันของบุคลากรต่อองค์กร",
    "การเปิดเผยข้อมูลและความโปร่งใส",
]
FIRST_NAMES = ["สมชาย", "สมหญิง", "วิไล", "ประเสริฐ", "กาญจนา", "สุรชัย", "อรุณี", "ชัยวัฒน์",
               "พรทิพย์", "ธนพล", "ศิริพร", "วรเชษฐ์", "นงลักษณ์", "อภิชาติ", "จันทร์เพ็ญ"]  # fmt: skip
LAST_NAMES = ["ใจดี", "รักเรียน", "ทองคำ", "ศรีสุข", "บุญมา", "แก้วมณี", "สายทอง", "วงศ์ใหญ่",
              "มั่นคง", "พึ่งบุญ", "เจริญผล", "ปัญญาดี", "สุขสวัสดิ์", "ทรัพย์มาก", "ชื่นใจ"]  # fmt: skip
RETURN_REASONS = [
    "เอกสารอ้างอิงเกณฑ์ข้อ 2 ยังไม่ครบ กรุณาแนบรายงานการประชุมฉบับที่มีลายมือชื่อ",
    "ผลการดำเนินงานเกณฑ์ข้อ 4 ยังไม่ระบุจำนวนผู้เข้าร่วมกิจกรรม",
    "วันที่ในรายงานการประชุมไม่ตรงกับที่อ้างถึงในผลการดำเนินงาน",
]
EDITS = ("ทั้งนี้ ได้ทบทวนผลการดำเนินงานร่วมกับคณะทำงานแล้ว", "และรายงานต่อผู้บริหารทราบ")
CRITERIA = 5


def person_name(rng: random.Random) -> str:
    title = rng.choice(["นาย", "นาง", "นางสาว"])
    return f"{title}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def unit_names(count: int) -> Iterator[tuple[str, str]]:
    for index in range(count):
        if index < len(UNITS):
            yield UNITS[index]
        else:
            yield f"หน่วยงานทดสอบที่ {index + 1}", f"ทด{index + 1}"


class SeedText:
    """What the seed page gives: criteria texts, narratives and captions per criterion."""

    def __init__(self) -> None:
        demo = load_demo().assessment
        results = list(
            demo.results.select_related("criterion")
            .prefetch_related("evidence_items")
            .order_by("criterion__order")
        )
        self.criteria = [result.criterion.text for result in results][:CRITERIA]
        self.narratives = [result.narrative for result in results][:CRITERIA]
        self.captions = [
            [item.caption for item in result.evidence_items.order_by("position")]
            for result in results
        ][:CRITERIA]
        self.indicator_number = demo.indicator.number

    def narrative(self, order: int, *, unit: Unit, number: str, evidence: int) -> str:
        """The seed's narrative of criterion ``order``, told by ``unit``, its codes
        rewritten to this unit and indicator and kept within its ``evidence`` items."""
        text = self.narratives[order - 1].replace(UNIT_NAME, unit.name)

        def code(match: re.Match[str]) -> str:
            position = min(int(match.group(2)), evidence)
            return f"{unit.evidence_prefix} {number}-{match.group(1)} ({position})"

        stem = re.escape(UNIT_PREFIX) + r"\s*" + re.escape(self.indicator_number)
        return re.sub(stem + r"-(\d+)\s*\((\d+)\)", code, text)

    def caption(self, order: int, position: int, *, unit: Unit) -> str:
        captions = self.captions[order - 1]
        return captions[(position - 1) % len(captions)].replace(UNIT_NAME, unit.name)
