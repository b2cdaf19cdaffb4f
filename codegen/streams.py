"""Event streams: what the events of a streamed answer are, read from its schema.

A streamed answer is Server-Sent Events (`text/event-stream`) or one JSON
document per line (`application/x-ndjson`, `application/jsonl`,
`application/json-seq`). Its schema (or OpenAPI 3.2 `itemSchema`) is read as
the first of these shapes that fits:

- a union (`oneOf`/`anyOf`) of event models told apart by one property: the
  `discriminator`'s (with or without `mapping`), else a property every variant
  fixes with `const` or a one-value `enum`. Each variant keeps its own model; a
  discriminating property absent from the variants is the SSE `event:` name;
- one model whose `type` enumerates the event names (each event type gets a
  model derived from it);
- a 3.2 `itemSchema` describing the SSE fields: variants fixing `event` and
  describing `data`;
- one object model: every event is that model (`data: [DONE]` ends an SSE one);
- no schema, `{}` or a string: the events as they come (`ServerSentEvent`).

Anything else is a warning, and its events are generic (`UnknownEvent`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from .class_names import ClassNames
from .media import EVENT_STREAM, concrete, media_kind
from .naming import pascal_case, snake_case
from .read import Reader
from .schema_clean import COMPONENT_REF, SchemaCleaner
from .schema_walk import object_properties, resolve
from .spec import Pointer

SchemaMap = dict[str, Any]
Framing = Literal["sse", "json_lines"]

GENERIC_EVENT = "UnknownEvent"
"""The streaming module's class of events no model describes."""
RAW_EVENT = "ServerSentEvent"
"""The sse module's class of an event passed on as it came."""
# The SSE fields an OpenAPI 3.2 `itemSchema` of `text/event-stream` describes.
_SSE_FIELDS = frozenset({"event", "data", "id", "retry"})
# Properties tried first as the tag of a union without a discriminator.
_TAG_PREFERENCE = ("type", "event", "object", "kind")


@dataclass(frozen=True)
class StreamEvent:
    """One event type of a stream: its name (the tag's value) and its model."""

    type: str
    model: str


@dataclass(frozen=True)
class StreamEvents:
    """The events of a streamed answer and how they are told apart.

    A stream with neither `events` nor `item` is generic (each event an
    `UnknownEvent`), or `raw` (each a `ServerSentEvent`).
    """

    schema: str | None
    """The stream schema's component, if it is one."""
    union: str
    """The type of one event: a union of the event models, or `item`."""
    events: tuple[StreamEvent, ...]
    discriminator: str | None = None
    """The data's property naming the event type; None when the SSE `event:` field does."""
    derived: bool = False
    """The event models are derived from `schema`, one per value of its `type` enum."""
    item: str | None = None
    """The model every event is, when nothing tells events apart."""
    raw: bool = False
    framing: Framing = "sse"
    media_type: str = EVENT_STREAM
    client_union: str | None = None
    """The union of the events a client yields, when it differs from `union`.

    The `error` event is raised (`StreamError`), never yielded, so a client's
    union leaves it out; `union` keeps it, as a server's handlers may yield it.
    """

    @property
    def typed(self) -> bool:
        return bool(self.events) or self.item is not None

    @property
    def generic(self) -> bool:
        return not self.typed and not self.raw

    @property
    def models(self) -> tuple[str, ...]:
        """The distinct event models, in order."""
        if self.item:
            return (self.item,)
        return tuple(dict.fromkeys(e.model for e in self.events))

    @property
    def stem(self) -> str:
        """`ImageGeneration`: what the stream's functions are named after."""
        return stream_stem(self.schema or self.union)

    @property
    def parser(self) -> str:
        """`parse_image_generation_event`: the streaming module's parser of this stream."""
        if self.raw:
            return "parse_server_sent_event"
        if not self.typed:
            return "parse_unknown_event"
        return f"parse_{snake_case(self.stem)}_event"

    @property
    def error_event(self) -> StreamEvent | None:
        """The event that reports an error, if the stream has one (`type: error`)."""
        return next((e for e in self.events if e.type == "error"), None)

    @property
    def client_events(self) -> tuple[StreamEvent, ...]:
        """The events a client yields: all but the error event, which it raises."""
        if self.error_event is None or len(self.events) == 1:
            return self.events
        return tuple(e for e in self.events if e is not self.error_event)

    @property
    def client_models(self) -> tuple[str, ...]:
        """The distinct models of `client_events`, in order."""
        if self.item:
            return (self.item,)
        return tuple(dict.fromkeys(e.model for e in self.client_events))

    @property
    def client_type(self) -> str:
        """The type of one event a client yields: `client_union`, else `union`."""
        return self.client_union or self.union

    @property
    def ends_with_done(self) -> bool:
        """An SSE stream of one model ends with `data: [DONE]` (as OpenAI's chunks)."""
        return self.item is not None and self.framing == "sse"


GENERIC_STREAM = StreamEvents(None, GENERIC_EVENT, ())
RAW_STREAM = StreamEvents(None, RAW_EVENT, (), raw=True)


class StreamReader:
    """Reads the event streams of a spec; one `StreamEvents` per distinct stream."""

    def __init__(
        self,
        read: Reader,
        cleaner: SchemaCleaner,
        schemas: SchemaMap,
        names: ClassNames,
        inline: Callable[[str, Any, Pointer], str],
    ) -> None:
        self.read = read
        self.cleaner = cleaner
        self.schemas = schemas
        self.names = names
        self.inline = inline
        self.streams: dict[str, StreamEvents] = {}

    def stream(
        self, pointer: Pointer, media: SchemaMap, media_type: str, owner: str
    ) -> StreamEvents:
        """The events of one streamed media type; `owner` names inline schemas."""
        framing: Framing = (
            "sse" if media_kind(media_type) == "event_stream" else "json_lines"
        )
        key = "itemSchema" if "itemSchema" in media else "schema"
        where = pointer + (key,)
        events = self._events(where, media.get(key), framing, owner)
        if framing == "json_lines" and events.events and not events.discriminator:
            events = self._generic(
                where,
                "JSON lines cannot carry an event name, and no property in every "
                "variant's data tells the events apart",
            )
        return replace(events, framing=framing, media_type=concrete(media_type))

    def _events(
        self, where: Pointer, schema: Any, framing: Framing, owner: str
    ) -> StreamEvents:
        cleaned = self.cleaner.clean(schema, where) if schema is not None else {}
        ref = cleaned.get("$ref")
        name = ref.removeprefix(COMPONENT_REF) if isinstance(ref, str) else None
        body = resolve(cleaned, self.schemas)
        if _is_text(body):
            if framing == "sse":
                return RAW_STREAM
            return self._generic(where, "JSON lines without a schema")
        key = name or f"{owner}#{'/'.join(map(str, where))}"
        if key in self.streams:
            return self.streams[key]
        found: StreamEvents | None
        if framing == "sse" and _describes_sse_fields(body, self.schemas):
            found = self._sse_items(where, body, owner)
        elif body.get("oneOf") or body.get("anyOf"):
            found = self._union(where, name, body, owner)
        elif name and event_types(body):
            found = self._derived(name, event_types(body))
        elif _is_object(body, self.schemas):
            item = name or self.inline(f"{owner}Event", cleaned, where)
            found = StreamEvents(name, item, (), item=item)
        else:
            found = None
        if found is None:
            what = (
                f"event-stream schema {name}"
                if name
                else "an inline event-stream schema"
            )
            return self._generic(
                where, f"{what} tells its events apart by no property it fixes"
            )
        if found.client_models != found.models:
            client_union = self.names.claim(f"{found.stem}Event", suffix="Union")
            found = replace(found, client_union=client_union)
        self.streams[key] = found
        return found

    def _generic(self, where: Pointer, why: str) -> StreamEvents:
        self.read.warn(
            where, f"{why}; its events become generic events ({GENERIC_EVENT})"
        )
        return GENERIC_STREAM

    def _derived(self, name: str, type_values: tuple[str, ...]) -> StreamEvents:
        """One model per value of the schema's `type` enum, derived from the schema."""
        stem = stream_stem(name)
        events = tuple(
            StreamEvent(value, self.names.claim(event_model_name(stem, value), "Event"))
            for value in type_values
        )
        union = self.names.claim(f"{stem}StreamEvent", suffix="Union")
        return StreamEvents(name, union, events, discriminator="type", derived=True)

    def _union(
        self,
        where: Pointer,
        name: str | None,
        body: SchemaMap,
        owner: str,
    ) -> StreamEvents | None:
        """A union of event models told apart by one property's value."""
        keyword = "oneOf" if body.get("oneOf") else "anyOf"
        variants = [v for v in body[keyword] if isinstance(v, dict)]
        properties = [object_properties(v, self.schemas)[0] for v in variants]
        discriminator = body.get("discriminator") or {}
        tag = discriminator.get("propertyName") or _shared_tag(properties)
        if not isinstance(tag, str):
            return None
        mapping = discriminator.get("mapping") or {}
        events: list[StreamEvent] = []
        for index, (variant, own) in enumerate(zip(variants, properties)):
            ref = variant.get("$ref")
            component = (
                ref.removeprefix(COMPONENT_REF) if isinstance(ref, str) else None
            )
            values = [t for t, target in mapping.items() if component and target == ref]
            fixed = _fixed_value(own.get(tag))
            if not values and fixed is not None:
                values = [fixed]
            if not values and component and discriminator:
                values = [component]  # OpenAPI: without a mapping, the schema's name
            if not values:
                self.read.warn(
                    where + (keyword, index),
                    f"this variant does not fix `{tag}`; its events stay generic "
                    f"({GENERIC_EVENT})",
                )
                continue
            model = component or self.inline(
                f"{owner}{pascal_case(values[0].rsplit('.', 1)[-1])}Event",
                variant,
                where + (keyword, index),
            )
            events += [StreamEvent(v, model) for v in values]
        if not events:
            return None
        in_data = all(tag in own for own in properties)
        union = name or self.names.claim(f"{owner}StreamEvent", suffix="Union")
        return StreamEvents(
            name,
            union,
            tuple(_distinct(events)),
            discriminator=tag if in_data else None,
        )

    def _sse_items(
        self, where: Pointer, body: SchemaMap, owner: str
    ) -> StreamEvents | None:
        """An `itemSchema` of SSE fields: events named by `event`, described by `data`."""
        keyword = "oneOf" if body.get("oneOf") else "anyOf"
        variants = body.get(keyword) or [body]
        shared = object_properties({**body, keyword: []}, self.schemas)[0]
        events: list[StreamEvent] = []
        models: list[str] = []
        for index, variant in enumerate(variants):
            fields = {**shared, **object_properties(variant, self.schemas)[0]}
            data = fields.get("data")
            data_schema = (
                data.get("contentSchema", data) if isinstance(data, dict) else {}
            )
            at = (
                where
                + ((keyword, index) if keyword in body else ())
                + ("properties", "data")
            )
            model = self._data_model(data_schema, at, owner, fields.get("event"))
            if model is None:
                continue
            models.append(model)
            value = _fixed_value(fields.get("event"))
            if value is not None:
                events.append(StreamEvent(value, model))
        if events:
            union = self.names.claim(f"{owner}StreamEvent", suffix="Union")
            return StreamEvents(None, union, tuple(_distinct(events)))
        if len(models) == 1:
            return StreamEvents(None, models[0], (), item=models[0])
        if not models:
            return RAW_STREAM  # every event's data is text
        return None

    def _data_model(
        self, schema: Any, where: Pointer, owner: str, event: Any
    ) -> str | None:
        """The model of an SSE event's `data`; None for text data."""
        if not isinstance(schema, dict):
            return None
        schema = self.cleaner.clean(schema, where)
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT_REF):
            return ref.removeprefix(COMPONENT_REF)
        if _is_text(resolve(schema, self.schemas)) or not _is_object(
            schema, self.schemas
        ):
            return None
        value = _fixed_value(event)
        stem = pascal_case(value.rsplit(".", 1)[-1]) if value else ""
        return self.inline(f"{owner}{stem}Event", schema, where)


# -- helpers ---------------------------------------------------------------------------


def _is_text(schema: SchemaMap) -> bool:
    """No schema, `{}`, or a string: nothing to validate events into."""
    meaningful = {k: v for k, v in schema.items() if k not in ("description", "title")}
    return not meaningful or meaningful.get("type") == "string"


def _is_object(schema: SchemaMap, schemas: SchemaMap) -> bool:
    properties, _ = object_properties(schema, schemas)
    return bool(properties) or resolve(schema, schemas).get("type") == "object"


def _describes_sse_fields(schema: SchemaMap, schemas: SchemaMap) -> bool:
    """Whether the schema is of the SSE fields (`event`, `data`, ...), not of the data."""
    variants = schema.get("oneOf") or schema.get("anyOf") or []
    found = [
        set(object_properties(v, schemas)[0])
        for v in [schema, *variants]
        if isinstance(v, dict)
    ]
    names = set().union(*found)
    return "data" in names and names <= _SSE_FIELDS


def _fixed_value(schema: Any) -> str | None:
    """The one value a property's schema allows (`const`, or a one-value `enum`)."""
    if not isinstance(schema, dict):
        return None
    if "const" in schema and isinstance(schema["const"], (str, int)):
        return str(schema["const"])
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], (str, int)):
        return str(enum[0])
    return None


def _shared_tag(properties: list[SchemaMap]) -> str | None:
    """The property every variant fixes to a value of its own, if there is one."""
    if not properties:
        return None
    candidates = set.intersection(*(set(p) for p in properties))
    ordered = [n for n in _TAG_PREFERENCE if n in candidates] + sorted(
        candidates - set(_TAG_PREFERENCE)
    )
    for name in ordered:
        values = [_fixed_value(p[name]) for p in properties]
        if None not in values and len(set(values)) == len(values):
            return name
    return None


def _distinct(events: list[StreamEvent]) -> list[StreamEvent]:
    """The events, the first of each name kept."""
    first: dict[str, StreamEvent] = {}
    for event in events:
        first.setdefault(event.type, event)
    return list(first.values())


def event_types(schema: SchemaMap) -> tuple[str, ...]:
    """The enum of a stream schema's `type` property, if it has one."""
    prop = (schema.get("properties") or {}).get("type") or {}
    return tuple(dict.fromkeys(str(v) for v in prop.get("enum") or ()))


def stream_stem(schema_name: str) -> str:
    """`ImageGenerationStreamResponse` -> `ImageGeneration`."""
    for suffix in ("StreamResponse", "StreamEvent", "Stream", "Response", "Event"):
        if schema_name.endswith(suffix) and schema_name != suffix:
            return schema_name.removesuffix(suffix)
    return schema_name


def event_model_name(stem: str, type_value: str) -> str:
    """`ImageGeneration` + `image_generation.partial_image` -> `ImageGenerationPartialImageEvent`."""
    return f"{stem}{pascal_case(type_value.rsplit('.', 1)[-1])}Event"
