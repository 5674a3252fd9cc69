"""The typed REST API (/api/v1/): thin endpoints over the same selectors and services as the pages, with
personal API tokens bound to their user so that every call runs through the one access policy."""
