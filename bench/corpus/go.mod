module example.com/benchsvc

go 1.19
