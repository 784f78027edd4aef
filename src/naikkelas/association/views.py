"""(being written in this session)"""

from django.http import Http404


def member_list(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def member_detail(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def member_card(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def member_status(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def member_end(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def application_list(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def application_create(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def application_decide(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def board(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404


def report(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    raise Http404
