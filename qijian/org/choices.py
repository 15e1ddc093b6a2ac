from django.db import models


class RegionLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"
    ZONE = "zone", "开发区"


class DepartmentLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"


class InspectorStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    SUSPENDED = "suspended", "暂停执法"
    LEFT = "left", "已调离"
