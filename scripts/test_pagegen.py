"""Unit tests of pagegen.py's gold: what the corpus keeps as paragraphs but
the spec keeps out of them (run: python3 -m unittest discover -s scripts -p
'test_*.py')."""
import os
import random
import sys
import unicodedata
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagegen  # noqa: E402


def record(paragraphs):
    return {"paper": "人民日报", "date": "2019-02-10", "page": "02", "page_name": "要闻",
            "order": 1, "kicker": None, "title": "河道清淤工程完工", "subtitle": None,
            "column": None, "series": None, "byline": None, "dateline": None, "captions": [],
            "paragraphs": [{"kind": "text", "text": t} for t in paragraphs]}


class Wrap(unittest.TestCase):
    def test_closing_punctuation_hangs_in_print_and_opens_a_line_in_some_extractors(self):
        text = "现在每天傍晚都来散步。”家住附近的王阿姨说。"
        printed = pagegen.wrap(text, 11)
        self.assertEqual(printed[0], "现在每天傍晚都来散步。”")
        self.assertFalse(any(l[0] in pagegen.NO_LINE_START for l in printed))
        extracted = pagegen.wrap(text, 11, hang=False)
        self.assertEqual(extracted[:2], ["现在每天傍晚都来散步。", "”家住附近的王阿姨说。"])
        self.assertEqual("".join(extracted), text)


class Gold(unittest.TestCase):
    def test_a_byline_in_the_body_gives_names_not_a_paragraph(self):
        self.assertEqual(pagegen.sub_byline("本报记者\u3000常\u3000钦"),
                         [{"role": "本报记者", "names": ["常钦"]}])
        self.assertEqual(pagegen.sub_byline("本报记者 祝大伟 刘洪超"),
                         [{"role": "本报记者", "names": ["祝大伟", "刘洪超"]}])
        self.assertEqual(pagegen.sub_byline("本报记者 姜 峰摄影报道"),
                         [{"role": "本报记者", "names": ["姜峰"]}])
        # a reporter who compiled a speech: 整理 is the task, not the name
        self.assertEqual(pagegen.sub_byline("本报记者\xa0何\xa0聪整理"),
                         [{"role": "本报记者", "names": ["何聪"]}])

    def test_caption_sentences_are_whole_quotations(self):
        text = "他说：“我们来了。”相城区委书记顾海东说。这是一个很好的开始，大家都很高兴。"
        self.assertEqual(pagegen.sentences(text), ["这是一个很好的开始，大家都很高兴。"])

    def test_staff_credits_bylines_and_lone_credits_leave_the_paragraphs(self):
        rec = record(["全长十二公里的河道清淤工程日前完工，沿岸居民出行更方便了。",
                      "本报记者\u3000常\u3000钦",
                      "下一步，当地将继续推进河道治理。",
                      "本报记者\u3000贺\u3000勇摄",
                      "制图：蔡华伟"])
        for form in pagegen.FORMS:
            pg, golds, furniture = pagegen.layout([rec], form, random.Random(3))
            texts = [p["text"] for p in golds[0]["paragraphs"]]
            self.assertEqual(texts, [rec["paragraphs"][0]["text"], rec["paragraphs"][2]["text"]], form)
            names = {n for b in golds[0]["bylines"] for n in b["names"]}
            self.assertIn("常钦", names, form)
            self.assertIn({"text": "", "credit": "本报记者\u3000贺\u3000勇摄"}, golds[0]["captions"], form)
            # (the OCR form may print the colon half-width)
            self.assertIn("制图:蔡华伟", [unicodedata.normalize("NFKC", f["text"]) for f in furniture], form)
            roles = {text.strip("\u3000"): role for text, role, _ in (l for l in pg.lines if l)}
            self.assertEqual(roles.get("本报记者\u3000常\u3000钦"), "byline", form)

    def test_block_text_sets_captions_before_the_text_and_credits_apart(self):
        rec = record(["全长十二公里的河道清淤工程日前完工，沿岸居民出行更方便了。",
                      "下一步，当地将继续推进河道治理。"])
        rec["captions"] = [{"text": "河道清淤工程现场。", "credit": "本报记者\u3000贺\u3000勇摄"}]
        first = apart = 0
        for seed in range(200):
            pg, golds, _ = pagegen.layout([rec], "block", random.Random(seed))
            texts = [l[0] if l else None for l in pg.lines]
            roles = [l[1] if l else None for l in pg.lines]
            at = next(i for i, t in enumerate(texts) if t and t.startswith("河道清淤工程现场。"))
            if at < roles.index("para"):
                first += 1
            if texts[at] == "河道清淤工程现场。":
                # a credit of its own, maybe after blank lines, follows its caption
                after = [t for t in texts[at + 1:] if t is not None][0]
                self.assertEqual(after, "本报记者\u3000贺\u3000勇摄", seed)
                apart += texts[at + 1] is None
            self.assertEqual(golds[0]["captions"][0]["text"], "河道清淤工程现场。")
        self.assertGreater(first, 20)
        self.assertGreater(apart, 10)
        for form in pagegen.FORMS[1:]:
            for seed in range(50):
                pg, _, _ = pagegen.layout([rec], form, random.Random(seed))
                roles = [l[1] for l in pg.lines if l]
                if "caption" in roles:
                    self.assertGreater(roles.index("caption"), roles.index("para"), form)

    def test_a_continued_story_prints_its_jump_line_and_only_its_rest(self):
        rec = record(["本报北京2月9日电  （记者常钦）全长十二公里的河道清淤工程日前完工。",
                      "沿岸居民出行更方便了。",
                      "下一步，当地将继续推进河道治理。"])
        rec["dateline"] = "本报北京2月9日电  （记者常钦）"
        other = dict(record(["另一篇报道的正文。"]), title="另一篇")
        for form in pagegen.FORMS:
            for seed in range(6):
                pg, golds, _ = pagegen.layout([rec, other], form, random.Random(seed), jump_from="01")
                gold = golds[0]
                self.assertEqual(gold["continued_from"], "01", form)
                self.assertIsNone(gold["dateline"], form)
                texts = [p["text"] for p in gold["paragraphs"]]
                # the rest of the story, never its opening with the dateline
                self.assertTrue(texts and texts == [p["text"] for p in rec["paragraphs"]][-len(texts):],
                                (form, texts))
                self.assertLess(len(texts), 3, form)
                printed = [l for l in pg.lines if l and l[2] == 0]
                self.assertIn("jump", [role for _, role, _ in printed], form)
                self.assertEqual(gold["title"] != "", any(role == "title" for _, role, _ in printed), form)
                # the next article is laid out as any other
                self.assertEqual(golds[1]["title"], "另一篇", form)
                self.assertIsNone(golds[1]["continued_from"], form)

    def test_editor_marks_end_an_article_in_print_and_stay_out_of_its_text(self):
        rec = record(["全长十二公里的河道清淤工程日前完工，沿岸居民出行更方便了。",
                      "下一步，当地将继续推进河道治理。"])
        marked = 0
        for form in pagegen.FORMS:
            for seed in range(60):
                pg, golds, _ = pagegen.layout([rec], form, random.Random(seed))
                gold = golds[0]
                printed = [l for l in pg.lines if l and l[2] == 0]
                self.assertLessEqual(len(gold["marks"]), 1)
                for p in gold["paragraphs"]:
                    self.assertFalse(p["text"][-1:] in pagegen.CIRCLED or p["text"][-1:].isdigit(),
                                     (form, p["text"]))
                if gold["marks"]:
                    marked += 1
                    mark = gold["marks"][0]
                    self.assertIn(mark[0], pagegen.CIRCLED)
                    # printed right after the last sentence of the text
                    last = [t for t, role, _ in printed if role in ("para", "cont")][-1]
                    self.assertTrue(last.endswith(mark), (form, last, mark))
                    self.assertIn(last[-len(mark) - 1], "。！？”!?", (form, last))
        # about a fifth of the pages print marks, on most of their articles
        self.assertGreater(marked, 20)
        self.assertLess(marked, 120)


if __name__ == "__main__":
    unittest.main()
