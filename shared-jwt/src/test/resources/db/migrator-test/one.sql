create table if not exists mt_one (id int primary key);
