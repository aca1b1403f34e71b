// litehouse: a lakehouse in one SQLite file. The one header a program needs.
#pragma once

#include "litehouse/database.h"
#include "litehouse/pipeline.h"
#include "litehouse/quality.h"
#include "litehouse/sql.h"
#include "litehouse/status.h"
