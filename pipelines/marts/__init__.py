"""Public marts (shared/spec/metrics-v1.md), rebuilt from ``core.*`` by every nightly load.

Each mart is one SQL file in ``pipelines/sql/marts/`` (dbt shape) and its DDL is in
``pipelines/sql/schema/marts*.sql``; the functions here run them on the build connection.
"""

from __future__ import annotations

from pipelines.marts.adoption import ADOPTION_MARTS, build_adoption_marts
from pipelines.marts.operations import OPERATIONS_MARTS, build_operations_marts
from pipelines.marts.quality import QUALITY_MARTS, MartsBuilt, build_quality_marts

__all__ = [
    "ADOPTION_MARTS",
    "OPERATIONS_MARTS",
    "QUALITY_MARTS",
    "MartsBuilt",
    "build_adoption_marts",
    "build_operations_marts",
    "build_quality_marts",
]
