"""privatune.privacy.secagg — SecAgg+ secure aggregation of LoRA deltas (Bonawitz et al. 2017,
Bell et al. 2020) on plain Python data; the Flower layers live in privatune.server.secagg_workflow
and privatune.client.secagg_handlers."""

from privatune.privacy.secagg.client_protocol import ClientProtocol
from privatune.privacy.secagg.config import SecAggAborted, SecAggConfig, SecAggProtocolError
from privatune.privacy.secagg.crypto import SecAggCryptoError
from privatune.privacy.secagg.protocol import RoundParams
from privatune.privacy.secagg.quantize import FixedPoint, Layout, delta_bound
from privatune.privacy.secagg.server_protocol import ServerProtocol

__all__ = [
    "ClientProtocol", "FixedPoint", "Layout", "RoundParams", "SecAggAborted", "SecAggConfig",
    "SecAggCryptoError", "SecAggProtocolError", "ServerProtocol", "delta_bound",
]
