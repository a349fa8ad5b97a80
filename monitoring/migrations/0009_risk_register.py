# Slot kept for one piece of issue 11, so that pieces built side by side chain in one order.
# risk: source identity of a risk, the closure send-back reason, and candidates a meeting dismissed.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0008_complaints_calendar")]

    operations = [
        migrations.AddField(
            model_name='historicalrisk',
            name='closure_returned_reason',
            field=models.TextField(blank=True, verbose_name='退回理由'),
        ),
        migrations.AddField(
            model_name='historicalrisk',
            name='source_key',
            field=models.CharField(blank=True, db_index=True, help_text='候选风险的稳定标识（monitoring.risk_sources.Candidate.identity），用于排除已纳入清单的候选', max_length=200, verbose_name='来源标识'),
        ),
        migrations.AddField(
            model_name='risk',
            name='closure_returned_reason',
            field=models.TextField(blank=True, verbose_name='退回理由'),
        ),
        migrations.AddField(
            model_name='risk',
            name='source_key',
            field=models.CharField(blank=True, db_index=True, help_text='候选风险的稳定标识（monitoring.risk_sources.Candidate.identity），用于排除已纳入清单的候选', max_length=200, verbose_name='来源标识'),
        ),
        migrations.CreateModel(
            name='CandidateDismissal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source_kind', models.CharField(choices=[('inspection', '监督检查'), ('sampling', '抽检'), ('adverse_event', '不良事件'), ('online', '网络监测'), ('complaint', '投诉举报'), ('opinion', '舆情'), ('notice', '上级通报'), ('other', '其他')], max_length=20, verbose_name='风险来源')),
                ('identity', models.CharField(max_length=200, verbose_name='候选标识')),
                ('title', models.CharField(max_length=300, verbose_name='候选风险')),
                ('reason', models.CharField(max_length=300, verbose_name='不纳入理由')),
                ('dismissed_at', models.DateTimeField(auto_now_add=True, verbose_name='操作时间')),
                ('dismissed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dismissals', to='monitoring.riskmeeting', verbose_name='风险会商')),
            ],
            options={
                'verbose_name': '不纳入的候选风险',
                'verbose_name_plural': '不纳入的候选风险',
                'ordering': ['meeting', 'id'],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'identity'), name='risk_dismissal_once')],
            },
        ),
    ]
