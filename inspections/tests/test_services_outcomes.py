import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.tests.factories import UnitFactory, UserFactory
from inspections import services
from inspections.choices import InspectionKind, InspectionStatus
from inspections.models import Attachment, Inspection, Interview, Rectification

from .factories import InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_rectification_schedules_one_follow_up_with_the_same_officers():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))

    rect = services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                        deadline=dt.date(2024, 6, 10), requirements="完善温湿度记录", by=a)

    follow_up = rect.follow_up
    assert follow_up.kind == InspectionKind.FOLLOW_UP
    assert follow_up.status == InspectionStatus.DRAFT
    assert follow_up.start_date == dt.date(2024, 6, 10)
    assert follow_up.enterprise == enterprise and follow_up.unit == unit
    assert sorted(follow_up.officers.values_list("user_id", flat=True)) == sorted([a.pk, b.pk])
    assert Inspection.objects.filter(kind=InspectionKind.FOLLOW_UP).count() == 1


def test_saving_the_rectification_again_does_not_create_a_second_follow_up():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))
    first = services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                         deadline=dt.date(2024, 6, 10), requirements="完善温湿度记录", by=a)

    second = services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                          deadline=dt.date(2024, 6, 20), requirements="完善温湿度记录和培训记录", by=b)
    services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                 deadline=dt.date(2024, 6, 20), requirements="完善温湿度记录和培训记录", by=b)

    assert Rectification.objects.count() == 1
    assert Inspection.objects.filter(kind=InspectionKind.FOLLOW_UP).count() == 1
    assert second.follow_up_id == first.follow_up_id
    second.follow_up.refresh_from_db()
    assert second.follow_up.start_date == dt.date(2024, 6, 20)  # moved with the deadline
    assert second.requirements == "完善温湿度记录和培训记录"


def test_rectification_refuses_deadline_before_order_and_changes_nothing():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))

    with pytest.raises(ValidationError) as exc:
        services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                     deadline=dt.date(2024, 5, 9), requirements="x", by=a)

    assert exc.value.message_dict == {"deadline": ["整改期限不能早于责令改正日期"]}
    assert Rectification.objects.count() == 0
    assert Inspection.objects.count() == 1


def test_completion_counts_as_done_and_is_no_longer_overdue():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))
    rect = services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                        deadline=dt.date(2024, 6, 10), requirements="完善温湿度记录", by=a)
    assert rect.is_overdue_on(dt.date(2024, 6, 11)) is True

    services.rectification_complete(rectification=rect, completed_on=dt.date(2024, 6, 12),
                                    evidence="已补齐记录并提交整改报告", by=a)

    rect.refresh_from_db()
    assert rect.completed_on == dt.date(2024, 6, 12)
    assert rect.is_overdue_on(dt.date(2024, 6, 20)) is False
    with pytest.raises(ValidationError):
        services.rectification_complete(rectification=rect, completed_on=dt.date(2024, 6, 13), evidence="再次", by=a)


def test_completion_requires_evidence():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))
    rect = services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                        deadline=dt.date(2024, 6, 10), requirements="完善温湿度记录", by=a)

    with pytest.raises(ValidationError):
        services.rectification_complete(rectification=rect, completed_on=dt.date(2024, 6, 1), evidence=" ", by=a)

    rect.refresh_from_db()
    assert rect.completed_on is None


def test_other_station_cannot_order_rectification():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))
    stranger = UserFactory(unit=UnitFactory())

    with pytest.raises(PermissionDenied):
        services.rectification_order(inspection=inspection, ordered_on=dt.date(2024, 5, 10),
                                     deadline=dt.date(2024, 6, 10), requirements="x", by=stranger)
    assert Rectification.objects.count() == 0


def test_interview_recorded_with_persons():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))

    interview = services.interview_create(enterprise=enterprise, inspection=inspection, held_on=dt.date(2024, 5, 20),
                                          persons="张三（企业负责人）", record="约谈记录", by=a)

    assert interview.unit == unit
    assert Interview.objects.get().persons == "张三（企业负责人）"
    with pytest.raises(ValidationError):
        services.interview_create(enterprise=enterprise, held_on=dt.date(2024, 5, 20), persons="", by=a)
    assert Interview.objects.count() == 1


def test_attachments_several_at_once_type_and_size_checked():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    files = [SimpleUploadedFile("现场1.png", PNG), SimpleUploadedFile("笔录.jpg", JPG)]

    created = services.attachments_add(inspection=inspection, files=files, kind="photo", by=a)

    assert [x.original_name for x in created] == ["现场1.png", "笔录.jpg"]
    assert Attachment.objects.count() == 2


def test_attachments_all_refused_when_one_is_bad():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    files = [SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("病毒.exe", b"MZ" + b"\x00" * 10),
             SimpleUploadedFile("fake.png", b"not a png at all")]

    with pytest.raises(ValidationError) as exc:
        services.attachments_add(inspection=inspection, files=files, kind="photo", by=a)

    assert exc.value.message_dict["files"] == [
        "“病毒.exe”的文件类型不允许，只能上传 JPG、PNG 照片或 PDF 扫描件",
        "“fake.png”的内容与扩展名不符",
    ]
    assert Attachment.objects.count() == 0


def test_attachment_too_large_refused(settings):
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (services.MAX_ATTACHMENT_BYTES))

    with pytest.raises(ValidationError) as exc:
        services.attachments_add(inspection=inspection, files=[big], kind="record", by=a)

    assert exc.value.message_dict["files"] == ["“big.pdf”超过 10 MB"]
    assert Attachment.objects.count() == 0
