from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from iro_service.timescales.models import NonWorkingDay, TimescaleSettings

admin.site.register(NonWorkingDay, SimpleHistoryAdmin)
admin.site.register(TimescaleSettings, SimpleHistoryAdmin)
