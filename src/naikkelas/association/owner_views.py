"""(being written in this session)"""

from django.http import Http404


def my_membership(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404
