"""The machine-readable event catalog: an AsyncAPI 3 document generated from the models.

``python -m certhub_kit.events.asyncapi > docs/asyncapi.json``
"""

from __future__ import annotations

import json
import sys

from . import EVENT_TYPES, Envelope
from .topology import subscriptions


def document(exchange: str = "certhub.events") -> dict:
    channels, operations, messages, schemas = {}, {}, {}, {}
    catalog = {name: model for name, model in EVENT_TYPES.items() if model.__module__.startswith("certhub_kit.")}
    for type_name, model in sorted(catalog.items()):
        key = type_name.replace(".", "_")
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            schemas[name] = sub
        schemas[model.__name__] = schema
        messages[key] = {
            "name": type_name,
            "title": model.__name__,
            "summary": (model.__doc__ or "").strip() or type_name,
            "contentType": "application/cloudevents+json",
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {
                        "properties": {
                            "type": {"const": type_name},
                            "data": {"$ref": f"#/components/schemas/{model.__name__}"},
                        }
                    },
                ]
            },
        }
        channels[key] = {
            "address": type_name,
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
            "bindings": {
                "amqp": {"is": "routingKey", "exchange": {"name": exchange, "type": "topic", "durable": True}}
            },
        }
        operations[f"publish_{key}"] = {"action": "send", "channel": {"$ref": f"#/channels/{key}"}}
        for service, types in subscriptions().items():
            if type_name in types:
                operations[f"{service}_receives_{key}"] = {
                    "action": "receive",
                    "channel": {"$ref": f"#/channels/{key}"},
                    "bindings": {"amqp": {"queue": f"{service}.events"}},
                }
    envelope = Envelope.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["Envelope"] = envelope
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "CertHub events",
            "version": "1.0.0",
            "description": "Integration events on the durable topic exchange; routing key = event type.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


if __name__ == "__main__":
    json.dump(document(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
