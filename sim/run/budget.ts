// The default event budget, alone in a module so the command line can print it without loading the models.

export const defaultEventBudget = 2_000_000_000;
