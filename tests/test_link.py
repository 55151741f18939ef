from khabar.link import Mention, canonical, link, mention_key


def _m(text: str, start: int, typ: str = "PER") -> Mention:
    return Mention(start, start + len(text), text, typ)


def test_surname_links_to_full_name() -> None:
    cl = link([_m("خليفة حفتر", 0), _m("حفتر", 40), _m("فايز السراج", 80), _m("السراج", 120)])
    assert [[m.text for m in c.mentions] for c in cl] == [["خليفة حفتر", "حفتر"], ["فايز السراج", "السراج"]]


def test_spelling_variants_fold_together() -> None:
    cl = link([_m("اوروبا", 0, "LOC"), _m("أوروبا", 30, "LOC")])
    assert len(cl) == 1 and len(cl[0].mentions) == 2


def test_fused_article_meets_bare_form_and_name_prefers_unfused() -> None:
    cl = link([_m("للأمم المتحدة", 0, "ORG"), _m("الأمم المتحدة", 50, "ORG")])
    assert len(cl) == 1
    assert canonical(cl[0].mentions).text == "الأمم المتحدة"
    assert mention_key("للأمم المتحدة") == mention_key("الأمم المتحدة")


def test_types_are_not_merged() -> None:
    cl = link([_m("روما", 0, "ORG"), _m("روما", 20, "LOC")])
    assert len(cl) == 2


def test_short_form_joins_nearest_preceding_full_name() -> None:
    cl = link([_m("محمد علي", 0), _m("أحمد علي", 30), _m("علي", 60)])
    by_first = {c.mentions[0].text: [m.text for m in c.mentions] for c in cl}
    assert by_first["أحمد علي"] == ["أحمد علي", "علي"]


def test_canonical_is_fullest() -> None:
    ms = [_m("ميركل", 0), _m("أنجيلا ميركل", 10)]
    assert canonical(ms).text == "أنجيلا ميركل"


def test_surname_that_lost_its_waw_still_links() -> None:
    # «وليامس» read as و + «ليامس» elsewhere in the article: still Serena Williams
    clusters = link([_m("سيرينا وليامس", 0), _m("ليامس", 40)])
    assert len(clusters) == 1
    assert canonical(clusters[0].mentions).text == "سيرينا وليامس"


def test_transliteration_variants_of_a_full_name_are_one_person() -> None:
    ms = [_m("كيفن برانس بواتنغ", 0), _m("كيفن برانس بواتينغ", 100), _m("بواتينغ", 200), _m("كيفن برنس بواتنغ", 300)]
    clusters = link(ms)
    assert len(clusters) == 1 and len(clusters[0].mentions) == 4


def test_names_alike_without_a_shared_word_or_of_one_word_stay_apart() -> None:
    # same skeleton but no word in common; one-word names are too short to tell
    assert len(link([_m("سعيد كامل", 0), _m("سعد كمال", 50)])) == 2
    assert len(link([_m("سعيد", 0), _m("سعد", 50)])) == 2
    # short Arabic names that differ by a vowel are other names, and other skeletons too
    assert len(link([_m("محمد حسين", 0), _m("محمد حسن", 50)])) == 2
    assert len(link([_m("محمد سعيد", 0), _m("محمد سالم", 50)])) == 2
    assert len(link([_m("علي حسن محمد", 0), _m("علي حسين احمد", 50)])) == 2  # two words differ
