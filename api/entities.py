"""/entities: search by name or alias, one entity with its evidence, its neighbourhood.

An entity's id in a URL is the slug ending its IRI (`…/id/university/<slug>`); `type=` picks one
when two types share a slug (409 otherwise). Look-ups run in the store process (kg.lookup) under
the query time limit.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from api.deps import get_settings, get_store
from api.store_process import StoreProcess
from extract.model import ENTITY_TYPES
from kg.lookup import MAX_DEPTH
from kg.settings import Settings

router = APIRouter(prefix="/entities", tags=["Entities"])

EntityId = Annotated[str, Path(description="the slug ending the entity's IRI, e.g. xian-university-of-technology")]
TypeParam = Annotated[str | None, Query(alias="type", description=f"one of {', '.join(ENTITY_TYPES)}")]


async def _lookup(store: StoreProcess, settings: Settings, name: str, *args: Any, **kwargs: Any) -> Any:
    return await store.acall("lookup", name, args, kwargs, timeout=settings.query_timeout)


@router.get("", summary="Search entities by name or alias")
async def list_entities(
    q: Annotated[str | None, Query(max_length=200, description="text contained in a name or alias (any case)")] = None,
    entity_type: TypeParam = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    settings: Settings = Depends(get_settings),
    store: StoreProcess = Depends(get_store),
) -> dict[str, Any]:
    return await _lookup(store, settings, "search_entities", q, entity_type, limit=limit, offset=offset)  # type: ignore[no-any-return]


@router.get("/{entity_id}", summary="One entity: types, aliases, relations with evidence")
async def get_entity(
    entity_id: EntityId,
    entity_type: TypeParam = None,
    settings: Settings = Depends(get_settings),
    store: StoreProcess = Depends(get_store),
) -> dict[str, Any]:
    iri = await _lookup(store, settings, "resolve_entity", entity_id, entity_type)
    return await _lookup(store, settings, "entity_detail", iri)  # type: ignore[no-any-return]


@router.get("/{entity_id}/neighbours", summary="Entities within `depth` relation hops")
async def get_neighbours(
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
    entity_type: TypeParam = None,
    settings: Settings = Depends(get_settings),
    store: StoreProcess = Depends(get_store),
) -> dict[str, Any]:
    iri = await _lookup(store, settings, "resolve_entity", entity_id, entity_type)
    return await _lookup(store, settings, "neighbours", iri, depth)  # type: ignore[no-any-return]
