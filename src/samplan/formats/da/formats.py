# Times with a period, "kl. 14.30", the usual Danish way (Django's da has a colon). Samplan's
# e-mails, course pages and Min side already wrote them so; now every page does.
TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
