"""Identity resolution: every Record clustered into Identities with Splink (DuckDB or Spark).

`resolve` is the pure entry point; the model file, clustering and real-time scoring of one
pair with the batch model live beside it.
"""

from ftfhub.linkage.cluster import Edge, Judgement
from ftfhub.linkage.model import LinkageModel, ModelError
from ftfhub.linkage.resolve import Resolution, link_new, resolve, weight_of

__all__ = [
    "Edge",
    "Judgement",
    "LinkageModel",
    "ModelError",
    "Resolution",
    "link_new",
    "resolve",
    "weight_of",
]
