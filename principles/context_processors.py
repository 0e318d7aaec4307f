"""Template context of the core's pages."""

from django.contrib.messages import get_messages


def is_tagging_message(message):
    """A message about one statement's themes (views.statement_theme_add and _remove tag it
    "statement-<pk>"): shown beside that statement's tagging form, not atop the page."""
    return any(tag.startswith("statement-") for tag in message.extra_tags.split())


class PageMessages:
    """The page's messages less those shown beside a statement (django.contrib.messages'
    storage, filtered when a template reads it), so that none is shown twice."""

    def __init__(self, storage):
        self.storage = storage

    def _messages(self):
        return [message for message in self.storage if not is_tagging_message(message)]

    def __iter__(self):
        return iter(self._messages())

    def __len__(self):
        return len(self._messages())

    def __bool__(self):
        return bool(self._messages())


def page_messages(request):
    """`messages`: the page's own; `tagging_messages`: all, read by each tagging form."""
    storage = get_messages(request)
    return {"messages": PageMessages(storage), "tagging_messages": storage}
