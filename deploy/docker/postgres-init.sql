CREATE DATABASE redstats_notifier OWNER redstats;
CREATE DATABASE redstats_red OWNER redstats;
