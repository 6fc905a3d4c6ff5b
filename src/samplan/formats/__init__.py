"""Samplan's overrides of Django's Danish formats (settings.FORMAT_MODULE_PATH).

Only what differs from ``django/conf/locale/da/formats.py`` is here; everything else
(``DATE_FORMAT`` "j. F Y", ``SHORT_DATE_FORMAT`` "d.m.Y", decimal comma, thousands point)
comes from Django. Templates use the names (``|date:"SHORT_DATE_FORMAT"``, ``|date``,
``|time``) and Python ``django.utils.formats.date_format``/``time_format``/``number_format``
(see ``samplan.core.l10n``), so pages, e-mails, PDFs and calendar texts agree."""
