# Issue 11, online-sales leads: the lead register, its import job and the import profile's kind.
import django.db.models.deletion
import monitoring.models.leads
import regsys.versioning
import simple_history.models
from django.conf import settings
from django.db import migrations, models

def lead_profile(apps, schema_editor):
    """Production gets the default lead column mapping without running load_reference."""
    from monitoring.loader import ensure_lead_profile

    ensure_lead_profile(apps.get_model("monitoring", "ImportProfile"))

class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_sampling_risks")]

    operations = [
        migrations.AlterModelOptions(
            name='importprofile',
            options={'ordering': ['kind', '-is_default', 'name'], 'verbose_name': '导入列对应方案', 'verbose_name_plural': '导入列对应方案'},
        ),
        migrations.AddField(
            model_name='importprofile',
            name='kind',
            field=models.CharField(choices=[('ae', '不良事件报告'), ('lead', '网络销售监测线索')], default='ae', max_length=10, verbose_name='导入内容'),
        ),
        migrations.AlterField(
            model_name='importprofile',
            name='is_default',
            field=models.BooleanField(default=False, help_text='每类导入内容的默认方案', verbose_name='默认'),
        ),
        migrations.CreateModel(
            name='HistoricalOnlineLead',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.CharField(db_index=True, max_length=60, verbose_name='线索编号')),
                ('platform', models.CharField(db_index=True, max_length=100, verbose_name='平台名称')),
                ('shop_name', models.CharField(max_length=200, verbose_name='店铺名称')),
                ('operator_name', models.CharField(blank=True, help_text='平台推送的店铺经营者（企业）名称', max_length=200, verbose_name='经营主体名称')),
                ('operator_credit_code', models.CharField(blank=True, max_length=18, verbose_name='经营主体统一社会信用代码')),
                ('link', models.CharField(blank=True, max_length=500, verbose_name='链接')),
                ('product', models.CharField(blank=True, max_length=200, verbose_name='涉及产品')),
                ('problem', models.TextField(verbose_name='涉嫌问题')),
                ('pushed_on', models.DateField(db_index=True, verbose_name='推送日期')),
                ('deadline', models.DateField(db_index=True, verbose_name='处置期限')),
                ('match', models.CharField(choices=[('credit_code', '按统一社会信用代码匹配'), ('name', '按企业名称匹配'), ('manual', '人工指定'), ('unmatched', '未匹配')], default='unmatched', max_length=20, verbose_name='匹配方式')),
                ('status', models.CharField(choices=[('queued', '待分派'), ('open', '待核查处置'), ('done', '已反馈')], default='queued', max_length=20, verbose_name='状态')),
                ('result', models.CharField(blank=True, choices=[('substantiated', '属实'), ('unsubstantiated', '不属实'), ('unverifiable', '无法核实')], max_length=20, verbose_name='核查结果')),
                ('checked_on', models.DateField(blank=True, null=True, verbose_name='核查日期')),
                ('check_note', models.TextField(blank=True, verbose_name='核查情况')),
                ('correction_ordered_on', models.DateField(blank=True, null=True, verbose_name='责令改正日期')),
                ('correction_note', models.CharField(blank=True, max_length=300, verbose_name='责令改正内容')),
                ('feedback_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='反馈日期')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('version', regsys.versioning.VersionField(verbose_name='版本')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.case', verbose_name='立案')),
                ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.enterprise', verbose_name='对应企业')),
                ('handled_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处置人')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('referral', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.referral', verbose_name='移交通信管理部门')),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, help_text='空：在药械科待分派清单中', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.unit', verbose_name='承办单位')),
            ],
            options={
                'verbose_name': 'historical 网络销售监测线索',
                'verbose_name_plural': 'historical 网络销售监测线索',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='LeadImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', '排队中'), ('running', '生成中'), ('success', '已完成'), ('failed', '失败')], default='pending', max_length=20, verbose_name='状态')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='进度')),
                ('message', models.CharField(blank=True, max_length=200, verbose_name='当前步骤')),
                ('error', models.TextField(blank=True, verbose_name='错误信息')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='执行次数')),
                ('task_id', models.CharField(blank=True, max_length=50, verbose_name='任务编号')),
                ('dispatched_at', models.DateTimeField(blank=True, null=True, verbose_name='派发时间')),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='最近进展时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('stage', models.CharField(choices=[('preview', '预览'), ('apply', '导入')], default='preview', max_length=10, verbose_name='阶段')),
                ('title', models.CharField(max_length=200, verbose_name='名称')),
                ('file', models.FileField(upload_to=monitoring.models.leads.lead_import_upload_to, verbose_name='上传文件')),
                ('filename', models.CharField(max_length=255, verbose_name='原文件名')),
                ('rows', models.PositiveIntegerField(default=0, verbose_name='检查行数')),
                ('created', models.PositiveIntegerField(default=0, verbose_name='新增')),
                ('updated', models.PositiveIntegerField(default=0, verbose_name='更新')),
                ('unchanged', models.PositiveIntegerField(default=0, verbose_name='无变化')),
                ('unmatched', models.PositiveIntegerField(default=0, verbose_name='未匹配企业')),
                ('preview', models.JSONField(blank=True, default=list, verbose_name='预览明细')),
                ('errors', models.JSONField(blank=True, default=list, verbose_name='错误明细')),
                ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='导入时间')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lead_import_jobs', to=settings.AUTH_USER_MODEL, verbose_name='导入人')),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lead_jobs', to='monitoring.importprofile', verbose_name='列对应方案')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enterprises.unit', verbose_name='所属单位')),
            ],
            options={
                'verbose_name': '线索导入任务',
                'verbose_name_plural': '线索导入任务',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='OnlineLead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=60, unique=True, verbose_name='线索编号')),
                ('platform', models.CharField(db_index=True, max_length=100, verbose_name='平台名称')),
                ('shop_name', models.CharField(max_length=200, verbose_name='店铺名称')),
                ('operator_name', models.CharField(blank=True, help_text='平台推送的店铺经营者（企业）名称', max_length=200, verbose_name='经营主体名称')),
                ('operator_credit_code', models.CharField(blank=True, max_length=18, verbose_name='经营主体统一社会信用代码')),
                ('link', models.CharField(blank=True, max_length=500, verbose_name='链接')),
                ('product', models.CharField(blank=True, max_length=200, verbose_name='涉及产品')),
                ('problem', models.TextField(verbose_name='涉嫌问题')),
                ('pushed_on', models.DateField(db_index=True, verbose_name='推送日期')),
                ('deadline', models.DateField(db_index=True, verbose_name='处置期限')),
                ('match', models.CharField(choices=[('credit_code', '按统一社会信用代码匹配'), ('name', '按企业名称匹配'), ('manual', '人工指定'), ('unmatched', '未匹配')], default='unmatched', max_length=20, verbose_name='匹配方式')),
                ('status', models.CharField(choices=[('queued', '待分派'), ('open', '待核查处置'), ('done', '已反馈')], default='queued', max_length=20, verbose_name='状态')),
                ('result', models.CharField(blank=True, choices=[('substantiated', '属实'), ('unsubstantiated', '不属实'), ('unverifiable', '无法核实')], max_length=20, verbose_name='核查结果')),
                ('checked_on', models.DateField(blank=True, null=True, verbose_name='核查日期')),
                ('check_note', models.TextField(blank=True, verbose_name='核查情况')),
                ('correction_ordered_on', models.DateField(blank=True, null=True, verbose_name='责令改正日期')),
                ('correction_note', models.CharField(blank=True, max_length=300, verbose_name='责令改正内容')),
                ('feedback_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='反馈日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', regsys.versioning.VersionField(verbose_name='版本')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='online_leads', to='inspections.case', verbose_name='立案')),
                ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='online_leads', to='enterprises.enterprise', verbose_name='对应企业')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处置人')),
                ('referral', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='online_leads', to='inspections.referral', verbose_name='移交通信管理部门')),
                ('unit', models.ForeignKey(blank=True, help_text='空：在药械科待分派清单中', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='online_leads', to='enterprises.unit', verbose_name='承办单位')),
            ],
            options={
                'verbose_name': '网络销售监测线索',
                'verbose_name_plural': '网络销售监测线索',
                'ordering': ['-pushed_on', '-id'],
                'indexes': [models.Index(fields=['unit', 'status', 'deadline'], name='lead_unit_status_deadline')],
            },
        ),
        migrations.RunPython(lead_profile, migrations.RunPython.noop),
    ]
