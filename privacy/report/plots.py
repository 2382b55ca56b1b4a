"""The report's plots as base64 PNG strings (matplotlib, Agg backend; embedded in the HTML)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _round_axis(axis, rounds: list[int]) -> None:
    """Integer round ticks and a sensible range even for one round (no 0.945–1.05 axis)."""
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    if rounds:
        axis.set_xlim(min(rounds) - 0.5, max(rounds) + 0.5)


def roc_plot(audit: dict) -> str | None:
    """ROC (linear) and log-ROC (log–log, where low-FPR behaviour shows) of every score."""
    if not audit or not audit.get("scores"):
        return None
    fig, (linear, log) = plt.subplots(1, 2, figsize=(10, 4.2))
    floor = audit["scores"][next(iter(audit["scores"]))].get("fpr_resolution", 1e-3) / 2
    for name, entry in audit["scores"].items():
        fpr, tpr = entry["curve"]["fpr"], entry["curve"]["tpr"]
        label = f"{name} (AUC {entry['auc']:.2f})"
        linear.plot(fpr, tpr, label=label)
        log.plot([max(f, floor) for f in fpr], [max(t, floor) for t in tpr], label=label)
    for axis in (linear, log):
        axis.plot([0, 1], [0, 1], "k:", linewidth=0.8, label="chance")
        axis.set_xlabel("false positive rate")
        axis.set_ylabel("true positive rate")
    log.set_xscale("log")
    log.set_yscale("log")
    log.set_xlim(floor, 1)
    log.set_ylim(floor, 1.05)
    linear.set_title("ROC of membership scores on canaries")
    log.set_title("log-ROC (low FPR)")
    linear.legend(fontsize=8)
    return _png(fig)


def epsilon_plot(rounds: list[dict], audit_history: list[dict]) -> str | None:
    """Each client's accountant ε over rounds, with the audit's ε̂ where one was run."""
    clients = sorted({c for row in rounds for c in row["client_epsilon"]})
    if not clients and not audit_history:
        return None
    fig, axis = plt.subplots(figsize=(7, 4))
    for client in clients:
        points = [(row["round"], row["client_epsilon"][client]) for row in rounds if client in row["client_epsilon"]]
        axis.plot(*zip(*points), marker="o", label=f"{client} (accountant ε)")
    if audit_history:
        axis.plot([a["round"] for a in audit_history], [a["epsilon_lower_bound"] for a in audit_history],
                  "k*", markersize=12, label="audit ε̂ (lower bound)")
    axis.set_xlabel("round")
    _round_axis(axis, [row["round"] for row in rounds] + [a["round"] for a in audit_history])
    axis.set_ylim(bottom=0)  # ε from zero: the budget spent reads at a glance
    axis.set_ylabel("ε")
    axis.set_title("Privacy spent per client")
    axis.legend(fontsize=8)
    return _png(fig)


def loss_plot(rounds: list[dict]) -> str | None:
    series = {key: [(r["round"], r[key]) for r in rounds if isinstance(r.get(key), (int, float))]
              for key in ("train-loss", "eval-loss")}
    if not any(series.values()):
        return None
    fig, axis = plt.subplots(figsize=(7, 4))
    for key, points in series.items():
        if points:
            axis.plot(*zip(*points), marker="o", label=key)
    axis.set_xlabel("round")
    _round_axis(axis, [r["round"] for r in rounds])
    axis.set_ylabel("loss")
    axis.set_title("Loss per round")
    axis.legend()
    return _png(fig)


def pii_plot(pii_counts: dict[str, dict]) -> str | None:
    """Grouped bars: entities found and scrubbed, per client and entity type."""
    if not pii_counts:
        return None
    clients = sorted(pii_counts)
    entities = sorted({e for counts in pii_counts.values() for e in counts})
    width = 0.8 / max(1, len(clients))
    fig, axis = plt.subplots(figsize=(max(7, 0.6 * len(entities) * len(clients) + 2), 4.2))
    for i, client in enumerate(clients):
        positions = [j + i * width for j in range(len(entities))]
        axis.bar(positions, [pii_counts[client].get(e, 0) for e in entities], width, label=str(client))
    axis.set_xticks([j + 0.4 - width / 2 for j in range(len(entities))])
    axis.set_xticklabels(entities, rotation=45, ha="right", fontsize=8)
    axis.set_ylabel("entities scrubbed")
    axis.set_title("PII found and scrubbed per client (from scrub manifests)")
    axis.legend(fontsize=8)
    return _png(fig)


def all_plots(report: dict) -> dict[str, str | None]:
    from privatune.privacy.report.secrets_section import exposure_plot  # it imports this module

    return {
        "roc": roc_plot(report.get("audit")),
        "epsilon": epsilon_plot(report.get("rounds", []), report.get("audit_history", [])),
        "loss": loss_plot(report.get("rounds", [])),
        "pii": pii_plot(report.get("pii_counts", {})),
        "exposure": exposure_plot(report.get("secret_audit")),
    }
