"""The terminal report: how it shortens what it shows."""


def test_terminal_evidence_is_cut_at_a_word_not_inside_one():
    from veille.serve.report_stories import clip

    sentence = "Les services de renseignement auraient découvert des preuves que l'entreprise espionne"
    cut = clip(sentence, 60)
    assert cut.endswith("…") and len(cut) <= 61
    assert sentence.startswith(cut[:-1])
    assert sentence[len(cut) - 1] == " "  # the cut falls between two words
    assert clip("court", 60) == "court"
