-- Gold rules of a refresh see the Gold rows its deltas changed (sql/refresh_30_gold_delta.sql).
DELETE FROM temp.dq_gold_hours;
DELETE FROM temp.dq_gold_users;
DELETE FROM temp.dq_gold_days;
INSERT INTO temp.dq_gold_hours SELECT event_date, event_hour, domain FROM temp.lh_delta_hours;
INSERT INTO temp.dq_gold_users SELECT event_date, user_name FROM temp.lh_delta_user_days;
INSERT INTO temp.dq_gold_days SELECT DISTINCT event_date FROM temp.lh_delta_hours;
