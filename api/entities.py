"""/entities: search by name or alias, one entity with its evidence, its neighbourhood.

An entity's id in a URL is the slug ending its IRI (`…/id/university/<slug>`); `type=` picks one
when two types share a slug (409 otherwise). Look-ups run next to the store (kg.lookup through
the store service) under the query time limit.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import StoreDep
from api.models import EntityDetail, EntityPage, Neighbourhood
from extract.model import ENTITY_TYPES
from kg.lookup import MAX_DEPTH

router = APIRouter(prefix="/entities", tags=["Entities"])

EntityId = Annotated[
    str, Path(description="the slug ending the entity's IRI, e.g. xian-university-of-technology")
]
TypeParam = Annotated[str | None, Query(alias="type", description=f"one of {', '.join(ENTITY_TYPES)}")]


@router.get("", summary="Search entities by name or alias", response_model=EntityPage)
async def list_entities(
    store: StoreDep,
    q: Annotated[
        str | None, Query(max_length=200, description="text contained in a name or alias (any case)")
    ] = None,
    entity_type: TypeParam = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    return await store.search_entities(q, entity_type, limit=limit, offset=offset)


@router.get(
    "/{entity_id}", summary="One entity: types, aliases, relations with evidence", response_model=EntityDetail
)
async def get_entity(store: StoreDep, entity_id: EntityId, entity_type: TypeParam = None) -> dict[str, Any]:
    return await store.entity_detail(entity_id, entity_type)


@router.get(
    "/{entity_id}/neighbours", summary="Entities within `depth` relation hops", response_model=Neighbourhood
)
async def get_neighbours(
    store: StoreDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
    entity_type: TypeParam = None,
) -> dict[str, Any]:
    return await store.neighbours(entity_id, entity_type, depth=depth)
