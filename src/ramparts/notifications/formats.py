"""The JSON bodies sent to webhooks: generic, Slack incoming webhook, Microsoft Teams workflow."""

from typing import Any

from ramparts.notifications.events import label_of


def generic(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": message["event"],
        "event_label": label_of(message["event"]),
        "subject": message["subject"],
        "body": message["body"],
        "link": message["link"],
        "payload": message["payload"],
        "delivery_id": message["delivery_id"],
        "sent_at": message["sent_at"],
    }


def slack(message: dict[str, Any]) -> dict[str, Any]:
    text = f"*{_slack_escape(message['subject'])}*"
    if message["body"]:
        text += "\n" + _slack_escape(message["body"])
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}]
    if message["link"]:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Open"}, "url": message["link"]}
                ],
            }
        )
    return {"text": _slack_escape(message["subject"]), "blocks": blocks}


def teams(message: dict[str, Any]) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": message["subject"], "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": message["body"], "wrap": True},
    ]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message["link"]:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open", "url": message["link"]}]
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn treats <, > and & as control characters (links, mentions).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


RENDERERS = {"generic": generic, "slack": slack, "teams": teams}
