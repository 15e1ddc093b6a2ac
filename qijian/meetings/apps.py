from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "qijian.meetings"
    label = "meetings"
    verbose_name = "联席会议"
