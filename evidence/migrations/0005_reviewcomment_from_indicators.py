# ReviewComment comes over from the indicators app (indicators.0003 let go of it): the
# model enters this app's state on the existing table, which is then renamed.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evidence', '0004_document_file_check'),
        ('indicators', '0003_move_reviewcomment_to_evidence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ReviewComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(verbose_name='ความเห็น')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='เมื่อ')),
                ('reply', models.TextField(blank=True, verbose_name='คำตอบของหน่วยงาน')),
                ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='ตอบเมื่อ')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='ปิดเมื่อ')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='indicators.assessment', verbose_name='ผลการประเมินตนเอง')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ผู้แสดงความเห็น')),
                ('criterion_result', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='indicators.criterionresult', verbose_name='เกณฑ์')),
                ('evidence_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='evidence.evidenceitem', verbose_name='หลักฐาน')),
                ('replied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ผู้ตอบ')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ปิดโดย')),
            ],
            options={
                'verbose_name': 'ความเห็นของผู้ตรวจ',
                'verbose_name_plural': 'ความเห็นของผู้ตรวจ',
                'ordering': ['assessment', 'created_at', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('body', ''), _negated=True), name='review_comment_body_not_empty')],
                'db_table': 'indicators_reviewcomment',
            },
        ),
            ],
        ),
        migrations.AlterModelTable(name='reviewcomment', table=None),
    ]
