"""Visit records (拜访记录): the list and one visit's detail."""
