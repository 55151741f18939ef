"""``khabar ner-eval`` and ``khabar ner-train``: thin wrappers over :mod:`khabar.ner`."""
from __future__ import annotations

from pathlib import Path

import click

from khabar.errors import KhabarError, ModelError


@click.command("ner-eval")
@click.argument("conll_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--components", is_flag=True, help="Also print the micro F1 of each shipped model alone, "
              "with and without the consistency step, and of both together (before the main report).")
def ner_eval(conll_file: Path, components: bool) -> None:
    """Tag CONLL_FILE (`token TAG` lines, blank line between sentences) with the shipped NER
    model, tokens as given, and print entity-level P/R/F1 per type and micro-averaged
    (conlleval semantics). The last line is `micro F1 0.XXXX`."""
    from khabar.ner.conll import read_conll, score
    from khabar.ner.crf import map_tag
    from khabar.ner.tagger import load_tagger, model_path

    try:
        sents = read_conll(conll_file)
        tagger = load_tagger()
        if tagger is None:
            raise ModelError(f"no NER model at {model_path()}", "run `khabar ner-train` or reinstall khabar")
    except KhabarError as e:
        raise click.ClickException(str(e)) from None
    gold = [[map_tag(t) for t in tags] for _, tags in sents]
    if components:
        _components(sents, gold)
    pred = tagger.tag_many([toks for toks, _ in sents])
    click.echo(f"{conll_file.name}: {len(sents)} sentences, {sum(len(t) for t, _ in sents)} tokens")
    click.echo(score(gold, pred).report())


def _components(sents: list, gold: list[list[str]]) -> None:
    from khabar.ner.conll import score
    from khabar.ner.tagger import MODES, CombinedTagger, models_dir, open_model

    # every shipped model, whichever KHABAR_NER selects for the main report
    models = [(n, open_model(models_dir() / n)) for n in MODES["both"] if (models_dir() / n).exists()]
    toks = [t for t, _ in sents]
    runs = [(name, [m], w) for name, m in models for w in (0, 10)]
    if len(models) > 1:
        for w in (0, 10):
            runs.append((" + ".join(n for n, _ in models), [m for _, m in models], w))
    for name, ms, window in runs:
        f1 = score(gold, CombinedTagger(ms, window).tag_many(toks)).prf()[2]
        click.echo(f"component {name}{' + consistency' if window else ''}: micro F1 {f1:.4f}")


def _has_train_extra() -> bool:
    import importlib.util

    missing = [m for m in ("torch", "gensim") if importlib.util.find_spec(m) is None]
    if missing:
        click.echo(f"{' and '.join(missing)} not installed: training the CRF only (pip install -e '.[train]' "
                   "for the word vectors and the BiLSTM-CRF)", err=True)
        return False
    return True


@click.command("ner-train")
@click.option("--shared", type=click.Path(file_okay=False, path_type=Path), default=Path("../shared"),
              show_default=True, help="The shared folder holding data/ and corpora/.")
@click.option("--dev", is_flag=True, help="Hold out the last 10% of ANERcorp train and report it "
              "(writes ner-dev.* to the temporary folder, leaves the shipped model alone).")
@click.option("--extra", multiple=True, type=click.Choice(["aqmar", "wikiann", "wojood"]),
              help="Add another corpus to the training data (off by default: AQMAR lowered the "
              "dev score; WikiANN and Wojood were not tried).")
@click.option("--no-lexicons", is_flag=True, help="Keep the current gazetteers and clusters.")
@click.option("--crf-only", is_flag=True, help="Skip the BiLSTM-CRF (needs torch: pip install -e .[train]).")
def ner_train(shared: Path, dev: bool, extra: tuple[str, ...], no_lexicons: bool, crf_only: bool) -> None:
    """Rebuild the shipped NER files from ../shared: gazetteers, word clusters, the CRF and,
    with the `train` extra (torch, gensim), word vectors and the BiLSTM-CRF (about 35 minutes
    on 2 idle cores)."""
    from khabar.ner.train import Params, run

    if not (shared / "data" / "ner").is_dir():
        raise click.ClickException(f"{shared}/data/ner not found; pass --shared PATH to the shared folder")
    try:
        run(shared, dev=dev, params=Params(extra=extra), rebuild_lexicons=not no_lexicons,
            neural=not crf_only and _has_train_extra(), log=lambda m: click.echo(m, err=True))
    except KhabarError as e:
        raise click.ClickException(str(e)) from None
