"""Unit tests of printpages.py's alignment of extracted lines to what was
printed (run: python3 -m unittest discover -s scripts -p 'test_*.py')."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import printpages  # noqa: E402

PRINTED = [
    ("title", 0, "河道清淤工程完工"),
    ("para", 0, "本报讯 全长十二公里的河道清淤工程日前完工，沿岸居民出行更方便了。"),
    ("caption", 0, "图为工人在清理河道，确保汛期行洪安全。"),
    ("credit", 0, "李明摄"),
    ("para", 0, "下一步，当地将继续推进河道治理。"),
]


class Align(unittest.TestCase):
    def test_lines_in_order_get_their_elements_labels(self):
        text = ("河道清淤工程完工\n\n本报讯 全长十二公里的河道清淤工程日前完工，\n"
                "沿岸居民出行更方便了。\n图为工人在清理河道，\n确保汛期行洪安全。 李明摄\n"
                "下一步，当地将继续推进河道治理。\n")
        labels = [r for r, _ in printpages.align(text, PRINTED)]
        self.assertEqual(labels, ["title", "para", "cont", "caption", "cont", "para"])

    def test_a_line_out_of_reading_order_is_still_found(self):
        # an extractor that read a paragraph's second line first
        text = "沿岸居民出行更方便了。\n河道清淤工程完工\n本报讯 全长十二公里的河道清淤工程日前完工，\n"
        labels = [r for r, _ in printpages.align(text, PRINTED)]
        self.assertEqual(labels, ["cont", "title", "para"])

    def test_a_line_nothing_printed_gives_no_labels(self):
        self.assertIsNone(printpages.align("河道清淤工程完工\n从未印过的一行\n", PRINTED))

    def test_page_header_parts_joined_in_any_order_are_the_header(self):
        printed = [("header", -1, "要闻"), ("header", -1, "14")] + PRINTED
        labels = printpages.align("14要闻\n河道清淤工程完工\n", printed)
        self.assertEqual(labels, [("header", -1), ("title", 0)])
        self.assertIsNone(printpages.align("14要闻河道\n", printed))

    def test_white_space_inside_a_line_does_not_matter(self):
        text = "河 道 清 淤 工 程 完 工\n"
        self.assertEqual(printpages.align(text, PRINTED), [("title", 0)])


class Sheets(unittest.TestCase):
    def test_a_page_that_ran_over_is_set_on_one_taller_sheet(self):
        html_text = printpages.STYLE + "<p>正文</p></body></html>"
        self.assertIn(printpages.SHEET, printpages.STYLE)
        taller = printpages.on_sheets(html_text, 2)
        self.assertIn("size: 390mm 1080mm;", taller)
        self.assertNotIn(printpages.SHEET, taller)
        self.assertTrue(taller.endswith("<p>正文</p></body></html>"))


class Masthead(unittest.TestCase):
    def test_a_display_type_header_is_page_furniture_with_the_number_outside(self):
        import random
        rec = {"date": "2019-02-25", "page": "06"}
        pr = printpages.Printed()
        html_text = printpages.big_masthead(rec, random.Random(1), pr)
        roles = {r for r, _, _ in pr.elements}
        texts = [t for _, _, t in pr.elements]
        self.assertEqual(roles, {"header"})
        self.assertIn("人民日报", texts)
        self.assertIn("06", texts)
        # an even page carries its number at the left: before its name
        self.assertLess(html_text.index("mast-number"), html_text.index("mast-section"))
        self.assertLess(html_text.index("mast-section"), html_text.index("mast-paper"))


class LeadPicture(unittest.TestCase):
    REC = {"date": "2019-02-25", "page": "06", "order": 1, "title": "河道清淤工程完工",
           "paragraphs": [{"kind": "text", "text": "本报讯 全长十二公里的河道清淤工程日前完工，沿岸居民出行更方便了。"}]}

    def test_a_lead_pictures_caption_is_printed_over_the_head_and_is_the_articles(self):
        import random
        for seed in range(40):
            # the style of a page is drawn from its date and number
            rec = dict(self.REC, page=f"{seed + 1:02d}")
            _, elements, golds, _ = printpages.page_html([rec], random.Random(seed), None)
            roles = [r for r, _, _ in elements]
            if "caption" in roles and roles.index("caption") < roles.index("title"):
                caption = elements[roles.index("caption")][2]
                self.assertIn(caption, [c["text"] for c in golds[0]["captions"]])
                self.assertEqual(elements[roles.index("caption")][1], 0)
                return
        self.fail("no page of 40 printed a lead picture")

    def test_without_a_draw_under_the_share_there_is_none(self):
        class Never:
            def random(self):
                return 1.0
        self.assertIsNone(printpages.lead_caption(self.REC, Never()))


if __name__ == "__main__":
    unittest.main()
