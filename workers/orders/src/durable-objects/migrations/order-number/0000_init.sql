CREATE TABLE `allocator` (
	`id` integer PRIMARY KEY NOT NULL,
	`shard` integer NOT NULL,
	`seq` integer NOT NULL,
	CONSTRAINT "allocator_single_row" CHECK("allocator"."id" = 1)
);
